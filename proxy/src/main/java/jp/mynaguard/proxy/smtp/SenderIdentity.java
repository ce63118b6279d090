package jp.mynaguard.proxy.smtp;

import java.util.Objects;

/**
 * Who is sending, as far as the gateway can tell: an authenticated user, a user the client's
 * network is mapped to, or an anonymous client of a trusted relay network.
 *
 * @param kind     how the identity was established
 * @param userName the user name the policy sees as the authenticated user ({@code null} for relay clients)
 * @param user     the users-file entry with the user's addresses ({@code null} when unknown)
 */
record SenderIdentity(Kind kind, String userName, SmtpUser user) {
    enum Kind {
        /** SMTP AUTH succeeded. */
        AUTHENTICATED,
        /** The client address is mapped to a user by configuration. */
        MAPPED,
        /** A relay-network client that did not authenticate: no user, no sender check. */
        RELAY
    }

    static final SenderIdentity RELAY = new SenderIdentity(Kind.RELAY, null, null);

    SenderIdentity {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.RELAY) {
            Objects.requireNonNull(userName, "userName");
        }
    }

    /** Whether sender addresses are checked against the user's (relay clients have no user to check against). */
    boolean hasUser() {
        return kind != Kind.RELAY;
    }

    /** Whether {@code address} belongs to the user. */
    boolean owns(String address) {
        return user != null && user.owns(address);
    }
}
