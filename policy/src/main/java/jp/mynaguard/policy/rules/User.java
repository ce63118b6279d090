package jp.mynaguard.policy.rules;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A person in the organisation directory.
 *
 * @param address  mail address, lower case; the identity used everywhere else
 * @param name     display name, e.g. 田中 太郎 (may be empty)
 * @param logins   proxy / SMTP AUTH user names that mean this person, lower case
 * @param groups   names of the groups the person belongs to
 * @param manager  address of the person's manager (上長), or {@code null} when unknown
 * @param location where the entry was written
 */
public record User(String address, String name, Set<String> logins, List<String> groups,
                   String manager, Location location) {
    public User {
        Objects.requireNonNull(address, "address");
        name = name == null ? "" : name;
        logins = OrderedSets.of(logins);
        groups = List.copyOf(groups);
        Objects.requireNonNull(location, "location");
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** {@code 田中 太郎 <tanaka@example.co.jp>} or the bare address. */
    public String displayName() {
        return name.isEmpty() ? address : name + " <" + address + '>';
    }
}
