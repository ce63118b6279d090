package jp.mynaguard.proxy.hold;

import java.util.Objects;
import java.util.Set;

/**
 * Who acts on held items: the logged-in console user or the API token's user. {@code address} is
 * their mail address, compared with an item's sender, recipients and approvers.
 */
public record Actor(String login, String address, Set<Role> roles) {
    /** The gateway itself: timed releases, expiry, retention. */
    public static final Actor SYSTEM = new Actor("system", "", Set.of());

    public Actor {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(address, "address");
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
