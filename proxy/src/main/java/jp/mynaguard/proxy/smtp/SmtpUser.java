package jp.mynaguard.proxy.smtp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the SMTP users file: who may authenticate, and which sender addresses are theirs.
 *
 * @param name         login name for SMTP AUTH (also what the policy sees as the authenticated user)
 * @param passwordHash a {@link PasswordHash} encoding
 * @param addresses    sender addresses that belong to the user, lower case; {@code *@domain} matches
 *                     every address of a domain (for service accounts)
 */
public record SmtpUser(String name, String passwordHash, List<String> addresses) {
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
    }

    static boolean validName(String name) {
        return !name.isEmpty() && name.length() <= 64
                && name.chars().noneMatch(c -> c <= ' ' || c == ':' || c == ',' || c == '#' || c == 0x7f);
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
}
