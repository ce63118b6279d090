package jp.mynaguard.policy.detect;

/**
 * B3: is a candidate inside a URL ({@code https?://\S+}, {@code www.\S+}) or an e-mail address
 * ({@code [\w.+-]+@[\w-]+\.[\w.-]+}) of the folded text? Asked only for candidates that passed
 * their check digit, in increasing order, so it looks around the candidate instead of scanning
 * the whole text; the whitespace-free run of the previous question is remembered so that a long
 * token with many numbers (minified JSON) is walked once.
 *
 * <p>Unlike the reference's {@code finditer} this does not model one match swallowing the start
 * of the next: in {@code a@www.x/<digits>} the reference's e-mail match eats {@code www.},
 * so it reports the number, while here it is inside a URL. E-mail parts longer than
 * {@link #MAX_EMAIL_PART} chars are not looked at.
 */
final class UrlGuard {
    static final int MAX_EMAIL_PART = 4096;

    private final char[] a;
    private final int n;
    private int lastStart = -1;
    private boolean lastInUrl;

    UrlGuard(char[] a, int n) {
        this.a = a;
        this.n = n;
    }

    boolean covers(int start) {
        return inUrl(start) || inEmail(start);
    }

    private boolean inUrl(int start) {
        int stop = lastStart >= 0 && lastStart < start ? lastStart : -1;
        boolean found = false;
        int p = start - 1;
        while (p > stop) {
            if (Folding.classOf(a[p]) != Folding.DROP) {
                int f = Folding.foldedAt(a, p, n);
                if (Folding.isSpaceLike(f)) {
                    break;
                }
                if ((f == 'h' || f == 'w') && urlStartsAt(p)) {
                    found = true;
                }
            }
            p--;
        }
        boolean result = p == stop && stop >= 0 ? found || lastInUrl : found;
        lastStart = start;
        lastInUrl = result;
        return result;
    }

    private boolean urlStartsAt(int p) {
        return matches(p, "https://") || matches(p, "http://") || matches(p, "www.");
    }

    /** Folded chars from {@code p} (dropped chars skipped) spell {@code s}. */
    private boolean matches(int p, String s) {
        int k = 0;
        while (k < s.length()) {
            if (p >= n) {
                return false;
            }
            if (Folding.classOf(a[p]) == Folding.DROP) {
                p++;
                continue;
            }
            int f = Folding.foldedAt(a, p, n);
            if (f != s.charAt(k)) {
                return false;
            }
            p += Character.charCount(Character.codePointAt(a, p, n));
            k++;
        }
        return true;
    }

    private boolean inEmail(int start) {
        // local part: the [\w.+-] run from the candidate reaches an '@' followed by a domain
        int p = start;
        int steps = 0;
        while (p < n && steps++ < MAX_EMAIL_PART) {
            if (Folding.classOf(a[p]) == Folding.DROP) {
                p++;
                continue;
            }
            int f = Folding.foldedAt(a, p, n);
            if (f == '@') {
                if (domainAt(p + 1)) {
                    return true;
                }
                break;
            }
            if (!isLocal(f)) {
                break;
            }
            p += Character.charCount(Character.codePointAt(a, p, n));
        }
        // domain part: the [\w.-] run back from the candidate starts right after '@'
        p = start - 1;
        steps = 0;
        while (p >= 0 && steps++ < MAX_EMAIL_PART) {
            if (Folding.classOf(a[p]) == Folding.DROP) {
                p--;
                continue;
            }
            int f = Folding.foldedAt(a, p, n);
            if (f == '@') {
                return hasLocalBefore(p - 1) && domainAt(p + 1);
            }
            if (!isDomain(f)) {
                return false;
            }
            p--;
        }
        return false;
    }

    private boolean hasLocalBefore(int p) {
        while (p >= 0 && Folding.classOf(a[p]) == Folding.DROP) {
            p--;
        }
        return p >= 0 && isLocal(Folding.foldedAt(a, p, n));
    }

    /** {@code [\w-]+\.[\w.-]+} at {@code p}. */
    private boolean domainAt(int p) {
        int label = 0;
        int steps = 0;
        while (p < n && steps++ < MAX_EMAIL_PART) {
            if (Folding.classOf(a[p]) == Folding.DROP) {
                p++;
                continue;
            }
            int f = Folding.foldedAt(a, p, n);
            if (f == '.') {
                if (label == 0) {
                    return false;
                }
                p++;
                while (p < n && Folding.classOf(a[p]) == Folding.DROP) {
                    p++;
                }
                return p < n && isDomain(Folding.foldedAt(a, p, n));
            }
            if (!Folding.isWordLike(f) && f != '-') {
                return false;
            }
            label++;
            p += Character.charCount(Character.codePointAt(a, p, n));
        }
        return false;
    }

    private static boolean isLocal(int f) {
        return Folding.isWordLike(f) || f == '.' || f == '+' || f == '-';
    }

    private static boolean isDomain(int f) {
        return Folding.isWordLike(f) || f == '.' || f == '-';
    }
}
