package jp.mynaguard.policy.detect;

/**
 * Check digits and plausibility tests on digit values (0..9 per byte), spec §1 and §6.4.
 * Works on arrays so that no candidate needs a {@code String}.
 */
final class CheckDigits {
    /** 平成26年総務省令第85号 第5条, weights of digits 1..11 left to right. */
    private static final int[] MY_NUMBER_WEIGHTS = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

    private CheckDigits() {
    }

    /** V1 for a 12-digit Individual Number: mod 11, remainder 0 or 1 gives check digit 0. */
    static boolean myNumber(byte[] d, int off) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += d[off + i] * MY_NUMBER_WEIGHTS[i];
        }
        int r = sum % 11;
        return d[off + 11] == (r <= 1 ? 0 : 11 - r);
    }

    /** V1 for a 13-digit Corporate Number: check digit first, 9 - (weighted sum mod 9), weights 2/1. */
    static boolean corporate(byte[] d, int off) {
        if (d[off] == 0) {
            return false;
        }
        int sum = 0;
        for (int i = 1; i <= 12; i++) {
            // digit i counted from the left is P(13 - i); P(n) has weight 1 for odd n, 2 for even n
            sum += d[off + i] * ((13 - i) % 2 == 1 ? 1 : 2);
        }
        return d[off] == 9 - sum % 9;
    }

    /** V2: all digits from {@code from} to {@code to} (exclusive) equal. */
    static boolean repdigit(byte[] d, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (d[i] != d[from]) {
                return false;
            }
        }
        return true;
    }

    /** V3: the second digit of a Corporate Number (first of the base) is one of 0-5, 7. */
    static boolean plausibleCorporate(byte[] d, int off) {
        int second = d[off + 1];
        return second <= 5 || second == 7;
    }

    /** Date-like penalty: the first 8 digits are a valid YYYYMMDD in 1900..2099. */
    static boolean dateLike(byte[] d, int off) {
        int year = d[off] * 1000 + d[off + 1] * 100 + d[off + 2] * 10 + d[off + 3];
        int month = d[off + 4] * 10 + d[off + 5];
        int day = d[off + 6] * 10 + d[off + 7];
        if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= daysIn(year, month);
    }

    private static int daysIn(int year, int month) {
        switch (month) {
            case 2:
                return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }
}
