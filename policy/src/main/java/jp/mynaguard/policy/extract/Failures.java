package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Failure details for unscannable records without the parsing library's message: a parser
 * may quote the bytes it choked on ("expected a number, got '<the digits>'"), and those could
 * be the very numbers we must never write to a log or an audit record.
 */
final class Failures {
    private Failures() {
    }

    /** {@code broken PDF (EOFException)}. */
    static String detail(String what, Throwable e) {
        return "broken " + what + " (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * The exception to throw for a failure while reading {@code what}: limits and interruptions
     * as they are (they carry their own reason), anything else as a plain {@code malformed}.
     */
    static IOException broken(String what, Throwable e) {
        if (e instanceof LimitExceededException || e instanceof InterruptedIOException) {
            return (IOException) e;
        }
        return new IOException(detail(what, e));
    }
}
