package jp.mynaguard.policy.rules;

/**
 * Shell-style wildcard matching ({@code *} any run, {@code ?} one character) without regular
 * expressions: evaluation runs per message for every rule reached, so it must not allocate, and
 * admins expect {@code *.zip} and {@code *@example.co.jp}, not regex syntax.
 */
final class Glob {
    private Glob() {
    }

    static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    /**
     * Matches {@code text} against {@code pattern}. Both must already be in the same case;
     * callers fold case once at load time (patterns) and once per message (values).
     */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        final int pn = pattern.length();
        final int tn = text.length();
        while (t < tn) {
            if (p < pn) {
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    starP = p++;
                    starT = t;
                    continue;
                }
                if (pc == '?' || pc == text.charAt(t)) {
                    p++;
                    t++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            // Let the last star swallow one more character and retry from there.
            p = starP + 1;
            t = ++starT;
        }
        while (p < pn && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pn;
    }
}
