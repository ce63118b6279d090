package jp.mynaguard.proxy.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jp.mynaguard.certs.HostName;

/**
 * A list of host names from the config: exact names ({@code bank.example.co.jp}) and
 * subdomain patterns ({@code *.bank.example.co.jp}, which matches {@code www.bank.example.co.jp}
 * and {@code a.b.bank.example.co.jp} but not the apex). Names are compared in the normalised
 * form {@link HostName} gives (lower case, A-labels, canonical IP text).
 */
public final class HostPatterns {
    public static final HostPatterns NONE = new HostPatterns(List.of());

    private final Set<String> exact = new HashSet<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<String> source;

    /**
     * @throws IllegalArgumentException naming the entry that is neither a host name nor {@code *.name}
     */
    public HostPatterns(List<String> patterns) {
        this.source = List.copyOf(patterns);
        for (String p : source) {
            try {
                if (p.startsWith("*.")) {
                    suffixes.add("." + HostName.of(p.substring(2)).ascii());
                } else {
                    exact.add(HostName.of(p).ascii());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + p + "' is not a host name or *.domain pattern: " + e.getMessage(), e);
            }
        }
    }

    /** @param host a normalised host ({@link HostName#ascii()}) */
    public boolean matches(String host) {
        if (exact.contains(host)) {
            return true;
        }
        for (String s : suffixes) {
            if (host.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    public List<String> patterns() {
        return source;
    }

    /** Equal when they match the same hosts (same normalised names and suffixes). */
    @Override
    public boolean equals(Object o) {
        return o instanceof HostPatterns h && h.exact.equals(exact) && new HashSet<>(h.suffixes).equals(new HashSet<>(suffixes));
    }

    @Override
    public int hashCode() {
        return exact.hashCode() * 31 + new HashSet<>(suffixes).hashCode();
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
