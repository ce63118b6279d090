package jp.mynaguard.certs;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A host name as it goes into a certificate and a cache key: a DNS name in lower-case ASCII with
 * internationalised labels as A-labels ({@code bücher.example} → {@code xn--bcher-kva.example}),
 * or an IP literal in the JDK's canonical text. Parsing never asks DNS: IP literals are recognised
 * by their characters before {@link InetAddress} sees them.
 */
public final class HostName {
    private final String ascii;
    private final byte[] address;

    private HostName(String ascii, byte[] address) {
        this.ascii = ascii;
        this.address = address;
    }

    /**
     * @param raw a DNS name (Unicode or ASCII, a trailing dot allowed), an IPv4 literal, or an IPv6
     *            literal with or without brackets
     * @throws IllegalArgumentException naming the problem, for anything else (wildcards, empty
     *                                  labels, characters a host name cannot have, zone ids)
     */
    public static HostName of(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        String s = raw;
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
            if (s.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets around a non-IPv6 host");
            }
        }
        if (s.indexOf(':') >= 0) {
            return ipv6(s);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (isDottedQuad(s)) {
            return ip(s);
        }
        return dns(s);
    }

    /** The name for certificates and cache keys: A-label DNS name or canonical IP text. */
    public String ascii() {
        return ascii;
    }

    public boolean isIpAddress() {
        return address != null;
    }

    /** The raw address bytes of an IP literal; {@code null} for a DNS name. */
    public byte[] address() {
        return address == null ? null : address.clone();
    }

    private static HostName ipv6(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("not an IPv6 literal (zone ids and other characters are not allowed)");
            }
        }
        return ip(s);
    }

    private static HostName ip(String literal) {
        try {
            // Only literals reach here (checked above), so this parses and never queries DNS.
            InetAddress a = InetAddress.getByName(literal);
            return new HostName(a.getHostAddress(), a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IP literal");
        }
    }

    /** Four decimal parts of at most three digits, each at most 255 (no regex: this is on the cached-lookup path). */
    private static boolean isDottedQuad(String s) {
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255 || ++parts > 4) {
                    return false;
                }
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    private static HostName dns(String s) {
        String ascii;
        if (isAscii(s)) {
            // What IDN.toASCII returns for an all-ASCII name (it only converts non-ASCII labels and
            // separators), without its cost on every cached lookup.
            ascii = s.toLowerCase(Locale.ROOT);
        } else {
            try {
                // IDNA 2003 as the JDK implements it; browsers send A-labels in SNI and CONNECT anyway.
                ascii = IDN.toASCII(s).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid international domain name");
            }
        }
        if (ascii.isEmpty() || ascii.length() > CertLimits.MAX_DNS_NAME) {
            throw new IllegalArgumentException("host name empty or longer than " + CertLimits.MAX_DNS_NAME + " characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= ascii.length(); i++) {
            if (i == ascii.length() || ascii.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > CertLimits.MAX_DNS_LABEL) {
                    throw new IllegalArgumentException("empty host name label or one longer than " + CertLimits.MAX_DNS_LABEL);
                }
                labelStart = i + 1;
                continue;
            }
            char c = ascii.charAt(i);
            // Letters, digits, hyphen; underscore too because some real (mostly internal) hosts use it.
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("a host name cannot contain '" + (c < 0x20 || c > 0x7e ? "?" : c) + "'");
            }
        }
        return new HostName(ascii, null);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostName h && h.ascii.equals(ascii);
    }

    @Override
    public int hashCode() {
        return ascii.hashCode();
    }

    @Override
    public String toString() {
        return ascii;
    }
}
