package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who belongs to the organisation: internal domains, users, groups and the security team.
 * Immutable; lookups are hash-map reads so evaluation can do them per message.
 */
public final class Organization {
    private final PatternSet internalDomains;
    private final Map<String, User> usersByAddress;
    private final Map<String, User> usersByLogin;
    private final Map<String, Group> groups;
    private final List<String> securityTeam;

    private Organization(Builder b) {
        this.internalDomains = PatternSet.ofIgnoreCase(b.internalDomains);
        this.usersByAddress = Map.copyOf(b.users);
        Map<String, User> logins = new LinkedHashMap<>();
        for (User u : b.users.values()) {
            for (String login : u.logins()) {
                logins.put(login, u);
            }
        }
        this.usersByLogin = Map.copyOf(logins);
        this.groups = Map.copyOf(b.groups);
        this.securityTeam = List.copyOf(b.securityTeam);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a lower-case domain belongs to the organisation. */
    public boolean isInternalDomain(String domain) {
        return internalDomains.matchesFolded(domain);
    }

    public List<String> internalDomains() {
        return internalDomains.patterns();
    }

    /** The user with this lower-case address, or {@code null}. */
    public User user(String address) {
        return address == null ? null : usersByAddress.get(address);
    }

    /** The user with this lower-case login name, or {@code null}. */
    public User userByLogin(String login) {
        return login == null ? null : usersByLogin.get(login);
    }

    /** The group with this name, or {@code null}. */
    public Group group(String name) {
        return groups.get(name);
    }

    public Collection<User> users() {
        return usersByAddress.values();
    }

    public Collection<Group> groups() {
        return groups.values();
    }

    /** Addresses that get {@code notify: [security]} messages and review quarantine. */
    public List<String> securityTeam() {
        return securityTeam;
    }

    public static final class Builder {
        private final List<String> internalDomains = new ArrayList<>();
        private final Map<String, User> users = new LinkedHashMap<>();
        private final Map<String, Group> groups = new LinkedHashMap<>();
        private final List<String> securityTeam = new ArrayList<>();

        private Builder() {
        }

        public Builder internalDomain(String pattern) {
            internalDomains.add(pattern.toLowerCase(Locale.ROOT));
            return this;
        }

        public Builder user(User user) {
            users.put(user.address(), user);
            return this;
        }

        public Builder group(Group group) {
            groups.put(group.name(), group);
            return this;
        }

        public Builder securityTeam(String address) {
            securityTeam.add(address.toLowerCase(Locale.ROOT));
            return this;
        }

        boolean hasUser(String address) {
            return users.containsKey(address);
        }

        boolean hasGroup(String name) {
            return groups.containsKey(name);
        }

        public Organization build() {
            return new Organization(this);
        }
    }
}
