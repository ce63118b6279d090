package jp.mynaguard.policy.rules;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * State shared by the section readers during one load: the diagnostics, the clock (for flow
 * expiry warnings) and the references to users, groups and flows, which are checked once the
 * whole organisation is known (users may be listed after the rules, or in another file).
 */
final class LoadContext {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern NAME = Pattern.compile("[^\\s:]+");

    private enum RefKind { USER, GROUP }

    private record Ref(RefKind kind, String name, Location at, String role) {
    }

    private final Diagnostics out;
    private final Clock clock;
    private final List<Ref> refs = new ArrayList<>();
    private final Map<String, Location> seen = new HashMap<>();

    LoadContext(Diagnostics out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    Diagnostics out() {
        return out;
    }

    Clock clock() {
        return clock;
    }

    /** Lower-cases and checks a mail address; {@code null} after an error. */
    String address(YamlReader.Scalar s, String what) {
        String a = s.value().trim().toLowerCase(Locale.ROOT);
        if (!ADDRESS.matcher(a).matches()) {
            out.error(s.at(), what + " must be a mail address like tanaka@example.co.jp, found '"
                    + NumberGuard.redact(s.value()) + "'");
            return null;
        }
        return a;
    }

    /** Checks a group, flow or rule name: no spaces, no colon (which introduces {@code group:NAME}). */
    String name(String value, Location at, String what) {
        if (value == null) {
            return null;
        }
        if (!NAME.matcher(value).matches()) {
            out.error(at, what + " must be one word without spaces or ':', found '" + NumberGuard.redact(value) + "'");
            return null;
        }
        return value;
    }

    /**
     * Reports a name used twice within one namespace (users, groups, flows, rules), pointing at the
     * second use and naming where the first one is.
     */
    boolean unique(String namespace, String name, Location at, String what) {
        Location first = seen.putIfAbsent(namespace + '\0' + name, at);
        if (first != null) {
            out.error(at, "duplicate " + what + " '" + name + "' (first defined at " + first + ")");
            return false;
        }
        return true;
    }

    void referUser(String address, Location at, String role) {
        refs.add(new Ref(RefKind.USER, address, at, role));
    }

    void referGroup(String name, Location at, String role) {
        refs.add(new Ref(RefKind.GROUP, name, at, role));
    }

    /** Reports references to users and groups the directory does not have. */
    void checkReferences(Organization.Builder org) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        Organization built = org.build();
        built.users().forEach(u -> users.add(u.address()));
        built.groups().forEach(g -> groups.add(g.name()));
        for (Ref r : refs) {
            if (r.kind == RefKind.USER && !org.hasUser(r.name)) {
                out.error(r.at, r.role + " '" + r.name + "' is not a user in the directory"
                        + Suggestions.didYouMean(r.name, users));
            } else if (r.kind == RefKind.GROUP && !org.hasGroup(r.name)) {
                out.error(r.at, r.role + " refers to unknown group '" + r.name + "'"
                        + Suggestions.didYouMean(r.name, groups));
            }
        }
    }
}
