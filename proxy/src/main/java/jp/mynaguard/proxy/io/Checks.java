package jp.mynaguard.proxy.io;

import java.time.Duration;

/**
 * The range checks the configuration builders share, so that a bad limit is refused with the same
 * words ({@code NAME must be positive}) whichever listener or store it belongs to.
 */
public final class Checks {
    private Checks() {
    }

    /** {@code value}, or an {@link IllegalArgumentException} naming {@code name} when it is zero or less. */
    public static int positive(int value, String name) {
        return (int) positive((long) value, name);
    }

    /** {@code value}, or an {@link IllegalArgumentException} naming {@code name} when it is zero or less. */
    public static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    /**
     * {@code d}, or an {@link IllegalArgumentException} naming {@code name} when it is zero, negative
     * or missing: a setting left empty in the YAML arrives here as {@code null} and is as wrong as 0s.
     */
    public static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
