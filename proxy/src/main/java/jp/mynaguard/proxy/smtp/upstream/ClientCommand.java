package jp.mynaguard.proxy.smtp.upstream;

import java.util.Objects;

/**
 * One command line we send to the smarthost, without its CRLF. Construction refuses CR, LF and
 * NUL anywhere, so no address or parameter can smuggle a second command into the session.
 *
 * @param verb      e.g. {@code MAIL}; for AUTH continuation lines the whole base64 line
 * @param argument  the rest of the line, or "" for none
 * @param secret    the line carries credentials: {@link #toString()} hides it
 */
record ClientCommand(String verb, String argument, boolean secret) {
    static final ClientCommand RSET = new ClientCommand("RSET", "", false);
    static final ClientCommand QUIT = new ClientCommand("QUIT", "", false);
    static final ClientCommand DATA = new ClientCommand("DATA", "", false);
    static final ClientCommand STARTTLS = new ClientCommand("STARTTLS", "", false);

    ClientCommand {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(argument, "argument");
        if (verb.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        requireSingleLine(verb);
        requireSingleLine(argument);
    }

    static ClientCommand of(String verb, String argument) {
        return new ClientCommand(verb, argument, false);
    }

    /** A line with credentials (AUTH PLAIN initial response, AUTH LOGIN user name and password). */
    static ClientCommand secret(String verb, String argument) {
        return new ClientCommand(verb, argument, true);
    }

    /** The line as sent, without CRLF. */
    String line() {
        return argument.isEmpty() ? verb : verb + ' ' + argument;
    }

    private static void requireSingleLine(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("CR, LF or NUL in an SMTP command");
            }
        }
    }

    @Override
    public String toString() {
        return secret ? "(credentials)" : line();
    }
}
