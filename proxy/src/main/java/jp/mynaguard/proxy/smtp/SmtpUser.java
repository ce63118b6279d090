package jp.mynaguard.proxy.smtp;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import jp.mynaguard.proxy.hold.Role;

/**
 * One entry of the users file: who may authenticate (SMTP AUTH and the console), which sender
 * addresses are theirs, and what they may do in the console.
 *
 * @param name         login name for SMTP AUTH and the console (also what the policy sees as the authenticated user)
 * @param passwordHash a {@link PasswordHash} encoding, or {@link SmtpUsers#DISABLED}
 * @param addresses    sender addresses that belong to the user, lower case; {@code *@domain} matches
 *                     every address of a domain (for service accounts)
 * @param roles        console roles; always contains {@link Role#SENDER}
 * @param totpSecret   the base32 TOTP secret (RFC 6238) of the user's second factor, or {@code null}
 * @param tokens       API tokens for scripts, stored as hashes only
 */
public record SmtpUser(String name, String passwordHash, List<String> addresses, Set<Role> roles, String totpSecret,
                       List<Token> tokens) {

    /** An API token as stored: its public id and the SHA-256 (hex) of the whole token. */
    public record Token(String id, String sha256) {
        public Token {
            if (id == null || !id.matches("[a-z0-9]{1,32}") || sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a token is ID:SHA256-HEX");
            }
        }

        @Override
        public String toString() {
            return "Token[" + id + "]";
        }
    }

    public SmtpUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (!validName(name)) {
            throw new IllegalArgumentException("user names are 1-64 characters without spaces, ':' or ','");
        }
        addresses = addresses.stream().map(a -> a.trim().toLowerCase(Locale.ROOT)).filter(a -> !a.isEmpty()).toList();
        for (String a : addresses) {
            if (a.indexOf('@') <= 0 || a.chars().anyMatch(c -> c <= ' ' || c == ',')) {
                throw new IllegalArgumentException("not an address: " + a);
            }
        }
        EnumSet<Role> r = EnumSet.of(Role.SENDER);
        r.addAll(roles);
        roles = Set.copyOf(r);
        if (totpSecret != null && !totpSecret.matches("[A-Z2-7]{16,128}")) {
            // The message never quotes the value: it is a secret.
            throw new IllegalArgumentException("the TOTP secret is not base32 (A-Z, 2-7, at least 16 characters)");
        }
        tokens = List.copyOf(tokens);
    }

    /** A user with the sender role only, no second factor and no API tokens. */
    public SmtpUser(String name, String passwordHash, List<String> addresses) {
        this(name, passwordHash, addresses, Set.of(), null, List.of());
    }

    public SmtpUser withPasswordHash(String hash) {
        return new SmtpUser(name, hash, addresses, roles, totpSecret, tokens);
    }

    public SmtpUser withRoles(Set<Role> newRoles) {
        return new SmtpUser(name, passwordHash, addresses, newRoles, totpSecret, tokens);
    }

    /** {@code null} removes the second factor. */
    public SmtpUser withTotpSecret(String secret) {
        return new SmtpUser(name, passwordHash, addresses, roles, secret, tokens);
    }

    public SmtpUser withTokens(List<Token> newTokens) {
        return new SmtpUser(name, passwordHash, addresses, roles, totpSecret, newTokens);
    }

    static boolean validName(String name) {
        return !name.isEmpty() && name.length() <= 64
                && name.chars().noneMatch(c -> c <= ' ' || c == ':' || c == ',' || c == '#' || c == 0x7f);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether the user can log in with a password (not a mapped-network-only user). */
    public boolean canLogIn() {
        return !SmtpUsers.DISABLED.equals(passwordHash);
    }

    /** Whether {@code address} (any case) is one of this user's sender addresses. */
    public boolean owns(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String a = address.toLowerCase(Locale.ROOT);
        for (String mine : addresses) {
            if (mine.startsWith("*@") ? a.endsWith(mine.substring(1)) && a.indexOf('@') == a.lastIndexOf('@')
                    : mine.equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** The user's first plain address, for notices when the message carried no usable sender. */
    public String primaryAddress() {
        return addresses.stream().filter(a -> !a.startsWith("*@")).findFirst().orElse(null);
    }

    /** Never the hash, the TOTP secret or token hashes: records print themselves into logs. */
    @Override
    public String toString() {
        return "SmtpUser[" + name + " " + addresses + " " + roles + (totpSecret != null ? " totp" : "")
                + (tokens.isEmpty() ? "" : " tokens=" + tokens.size()) + "]";
    }
}
