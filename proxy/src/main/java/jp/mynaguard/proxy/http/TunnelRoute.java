package jp.mynaguard.proxy.http;

/**
 * What becomes of a CONNECT tunnel once its first bytes are known. The rule that keeps the
 * passthrough list from being a bypass: a listed host is passed through only when the ClientHello
 * names that same host. Otherwise a client could CONNECT to an upload site with the SNI of a
 * listed bank (or no SNI) and carry data past inspection; such tunnels are intercepted, so the
 * client gets our certificate for the CONNECT host and inspection applies.
 */
public enum TunnelRoute {
    /** TLS opened with a leaf for the CONNECT host; decrypted requests go to the exchange pipeline. */
    INTERCEPT,
    /** TLS relayed unopened to the origin; recorded with its byte counts. */
    PASSTHROUGH,
    /** Non-TLS bytes relayed unopened, for hosts allowed to carry them; recorded like passthrough. */
    PLAIN_RELAY,
    /** Non-TLS bytes to a host not allowed to carry them. */
    REFUSE_NOT_TLS,
    /** A TLS record that is not a usable ClientHello. */
    REFUSE_MALFORMED;

    /** The route for a tunnel that began with a parsed ClientHello. */
    public static TunnelRoute forClientHello(TunnelSettings settings, ConnectTarget target, ClientHelloInfo hello) {
        if (!settings.passthroughHosts().matches(target.host())) {
            return INTERCEPT;
        }
        String sni = hello.serverName();
        // Clients send no SNI for IP literals (RFC 6066 §3): a listed address is passed through
        // without one, as the address connected to is exactly the one listed.
        boolean sameHost = sni == null ? target.ipLiteral() : sni.equals(target.host());
        return sameHost ? PASSTHROUGH : INTERCEPT;
    }

    /**
     * The route for a tunnel whose first bytes are no ClientHello.
     *
     * @param tlsRecord whether the bytes begin like a TLS handshake record (then it is a broken or
     *                  unusual hello, never relayed as "plain")
     */
    public static TunnelRoute withoutClientHello(TunnelSettings settings, ConnectTarget target, boolean tlsRecord) {
        if (tlsRecord) {
            return REFUSE_MALFORMED;
        }
        return settings.plainHosts().matches(target.host()) ? PLAIN_RELAY : REFUSE_NOT_TLS;
    }
}
