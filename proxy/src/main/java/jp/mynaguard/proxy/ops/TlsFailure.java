package jp.mynaguard.proxy.ops;

import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/**
 * Why a TLS handshake failed, as a small fixed set of metric labels. Derived from the exception
 * type and the JDK's alert texts; an unknown cause is {@link #OTHER}, never its message (which
 * could name a host and would make the label set unbounded).
 */
public enum TlsFailure {
    /** The peer did not finish in time. */
    TIMEOUT,
    /** The bytes were not TLS (a plain-text client on a TLS port, a scanner). */
    NOT_TLS,
    /** No protocol version in common (e.g. a TLS 1.0-only client). */
    PROTOCOL_VERSION,
    /** No cipher suite in common. */
    NO_SHARED_CIPHER,
    /** A certificate was not trusted, expired, or named another host (either side's complaint). */
    CERTIFICATE,
    /** The peer closed the connection during the handshake. */
    CLOSED,
    OTHER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }

    public static TlsFailure of(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof NotSslRecordException) {
                return NOT_TLS;
            }
            if (t instanceof ClosedChannelException) {
                return CLOSED;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("protocol_version") || m.contains("no appropriate protocol")
                    || m.contains("unsupported protocol") || m.contains("protocol is disabled")) {
                return PROTOCOL_VERSION;
            }
            if (m.contains("no cipher suites in common") || m.contains("handshake_failure")
                    || m.contains("insufficient_security") || m.contains("no_cipher")) {
                return NO_SHARED_CIPHER;
            }
            if (m.contains("certificate") || m.contains("pkix") || m.contains("unknown_ca")
                    || m.contains("bad_certificate") || m.contains("no subject alternative")) {
                return CERTIFICATE;
            }
            if (m.contains("closed") || m.contains("close_notify") || m.contains("connection reset")) {
                return CLOSED;
            }
        }
        return OTHER;
    }
}
