package jp.mynaguard.policy.rules;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelt keys and words: the closest candidate within a small edit distance. */
final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate, or {@code null} if none is close enough to be a likely typo. */
    static String closest(String input, Collection<String> candidates) {
        String in = normalise(input);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(in, normalise(c));
            // On a tie prefer the candidate as long as the input: 'dayz' means 'days', not 'day'.
            if (d < bestDistance || d == bestDistance
                    && Math.abs(c.length() - in.length()) < Math.abs(best.length() - in.length())) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.min(PolicyLimits.MAX_SUGGESTION_DISTANCE, Math.max(1, in.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** {@code " (did you mean 'x'?)"} or the empty string. */
    static String didYouMean(String input, Collection<String> candidates) {
        String s = closest(input, candidates);
        return s == null ? "" : " (did you mean '" + s + "'?)";
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
