package jp.mynaguard.proxy.console;

import java.time.Instant;
import java.util.List;

/**
 * The policy as the admin view shows it: the version in force, since when, and, when the last
 * edit was rejected, its errors as {@code file:line:column: message} (messages name keys and
 * shapes, never values from a file).
 *
 * @param rejectedVersion the version of the rejected files, or {@code null} when the last load succeeded
 */
public record PolicyStatus(String activeVersion, String name, Instant activatedAt, List<String> files,
                           String rejectedVersion, List<String> errors) {
    public PolicyStatus {
        files = List.copyOf(files);
        errors = List.copyOf(errors);
    }

    /** What the console reads and triggers; the gateway implements it over its policy reloader. */
    public interface Source {
        PolicyStatus status();

        /** Loads the files now (the admin's reload button), like SIGHUP; returns the status after. */
        PolicyStatus reload();
    }
}
