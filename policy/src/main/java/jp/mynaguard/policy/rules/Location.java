package jp.mynaguard.policy.rules;

import java.util.Objects;

/**
 * A place in a policy file, 1-based as editors show it.
 *
 * @param file   the file name as given to the loader
 * @param line   1-based line
 * @param column 1-based column
 */
public record Location(String file, int line, int column) {
    /** For things built in code rather than loaded from a file. */
    public static final Location NONE = new Location("<built-in>", 0, 0);

    public Location {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ':' + line + ':' + column;
    }
}
