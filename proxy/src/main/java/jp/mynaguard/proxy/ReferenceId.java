package jp.mynaguard.proxy;

import java.security.SecureRandom;

/**
 * Short reference ids ({@code ABC123}-style, 8 characters from an alphabet without look-alikes
 * such as 0/O and 1/I) that users quote on the phone and admins search the audit log for.
 * Random, so they reveal nothing about order or volume.
 */
public final class ReferenceId {
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    static final int LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReferenceId() {
    }

    public static String next() {
        char[] c = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(c);
    }

    /** Whether {@code s} has the shape of a reference id (for input from people: case-insensitive). */
    public static boolean looksLike(String s) {
        if (s == null || s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (new String(ALPHABET).indexOf(Character.toUpperCase(s.charAt(i))) < 0) {
                return false;
            }
        }
        return true;
    }
}
