package jp.mynaguard.proxy.gateway;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where allowed mail goes, as configured: the outbox directory (the embedded default), or a
 * smarthost. Translated into the upstream client's own configuration by {@link GatewayComponents}.
 *
 * @param host         smarthost name or address; {@code null} for the outbox
 * @param port         smarthost port
 * @param tls          {@code none}, {@code opportunistic} or {@code required}
 * @param trustFile    PEM file of CAs to trust for the smarthost, or {@code null} for the JDK's
 * @param username     AUTH user at the smarthost, or {@code null}
 * @param passwordFile file holding the AUTH password (first line), or {@code null}
 */
public record UpstreamSettings(String host, int port, String tls, Path trustFile, String username, Path passwordFile) {
    public static final UpstreamSettings OUTBOX = new UpstreamSettings(null, 0, "none", null, null, null);
    public static final int DEFAULT_PORT = 25;

    public UpstreamSettings {
        tls = Objects.requireNonNullElse(tls, "opportunistic").toLowerCase(Locale.ROOT);
        if (!tls.equals("none") && !tls.equals("opportunistic") && !tls.equals("required")) {
            throw new IllegalArgumentException("upstream tls must be none, opportunistic or required, not " + tls);
        }
        if (host != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("upstream port out of range: " + port);
        }
        if (username != null && passwordFile == null) {
            throw new IllegalArgumentException("upstream username needs password_file");
        }
    }

    public boolean outbox() {
        return host == null;
    }

    /** {@code outbox} or {@code HOST:PORT} (IPv6 in brackets), as on the command line. */
    public static UpstreamSettings parse(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("outbox")) {
            return OUTBOX;
        }
        HostPort hp = HostPort.parse(spec.trim(), DEFAULT_PORT);
        return new UpstreamSettings(hp.host(), hp.port(), "opportunistic", null, null, null);
    }

    @Override
    public String toString() {
        return outbox() ? "outbox" : HostPort.format(host, port) + " (tls " + tls + (username == null ? "" : ", auth") + ")";
    }
}
