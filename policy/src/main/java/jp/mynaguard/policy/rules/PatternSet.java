package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A compiled list of wildcard patterns: literal entries go into a hash set, only the entries with
 * wildcards are tried one by one. Used for addresses, domains, hosts, paths and file names.
 */
final class PatternSet {
    private final List<String> source;
    private final Set<String> literals;
    /** {@code *tail} patterns (the usual {@code *.example.co.jp}, {@code *.zip}): one endsWith each. */
    private final String[] suffixes;
    /** {@code head*} patterns: one startsWith each. */
    private final String[] prefixes;
    /** Every other pattern with a wildcard, matched by {@link Glob}. */
    private final String[] globs;
    private final boolean caseSensitive;

    private PatternSet(Collection<String> patterns, boolean caseSensitive) {
        this.caseSensitive = caseSensitive;
        List<String> folded = new ArrayList<>(patterns.size());
        Set<String> lit = new HashSet<>();
        List<String> wild = new ArrayList<>();
        List<String> tails = new ArrayList<>();
        List<String> heads = new ArrayList<>();
        for (String p : patterns) {
            String f = fold(p, caseSensitive);
            folded.add(f);
            if (!Glob.hasWildcard(f)) {
                lit.add(f);
            } else if (f.length() > 1 && f.charAt(0) == '*' && !Glob.hasWildcard(f.substring(1))) {
                tails.add(f.substring(1));
            } else if (f.length() > 1 && f.charAt(f.length() - 1) == '*'
                    && !Glob.hasWildcard(f.substring(0, f.length() - 1))) {
                heads.add(f.substring(0, f.length() - 1));
            } else {
                wild.add(f);
            }
        }
        this.source = List.copyOf(folded);
        this.literals = Set.copyOf(lit);
        this.suffixes = tails.toArray(new String[0]);
        this.prefixes = heads.toArray(new String[0]);
        this.globs = wild.toArray(new String[0]);
    }

    /** Case-insensitive: addresses, domains, hosts, file names, content types. */
    static PatternSet ofIgnoreCase(Collection<String> patterns) {
        return new PatternSet(patterns, false);
    }

    /** Case-sensitive: URL paths. */
    static PatternSet ofCaseSensitive(Collection<String> patterns) {
        return new PatternSet(patterns, true);
    }

    private static String fold(String s, boolean caseSensitive) {
        return caseSensitive ? s : s.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code value} (already case-folded by the caller for case-insensitive sets) matches. */
    boolean matchesFolded(String value) {
        if (literals.contains(value)) {
            return true;
        }
        for (String tail : suffixes) {
            if (value.endsWith(tail)) {
                return true;
            }
        }
        for (String head : prefixes) {
            if (value.startsWith(head)) {
                return true;
            }
        }
        for (String g : globs) {
            if (Glob.matches(g, value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} matches, folding its case first if this set ignores case. */
    boolean matches(String value) {
        return matchesFolded(fold(value, caseSensitive));
    }

    /**
     * Whether every value this set matches is matched by {@code wider} too. Conservative: it may
     * say {@code false} for sets that are in fact covered, never {@code true} for sets that are not.
     */
    boolean coveredBy(PatternSet wider) {
        if (caseSensitive != wider.caseSensitive) {
            return false;
        }
        for (String p : source) {
            boolean covered = wider.source.contains(p)
                    || (!Glob.hasWildcard(p) && wider.matchesFolded(p))
                    || anyCatchAll(wider);
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyCatchAll(PatternSet set) {
        for (String g : set.globs) {
            if (g.chars().allMatch(c -> c == '*')) {
                return true;
            }
        }
        return false;
    }

    /** The patterns as loaded (case-folded unless case-sensitive). */
    List<String> patterns() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatternSet other && caseSensitive == other.caseSensitive
                && new HashSet<>(source).equals(new HashSet<>(other.source));
    }

    @Override
    public int hashCode() {
        return new HashSet<>(source).hashCode();
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
