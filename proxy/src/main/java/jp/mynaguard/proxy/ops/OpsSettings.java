package jp.mynaguard.proxy.ops;

import java.util.Objects;

/**
 * Operations settings of {@code mynaguard serve}: where {@code /metrics}, {@code /healthz} and
 * {@code /readyz} are served until the console server mounts them ({@code ops.listen}), and how
 * the gateway logs ({@code logging:}).
 *
 * @param listenHost interim ops listener host ({@code ops.listen}, default 127.0.0.1)
 * @param listenPort its port (default 8025, the console's; 0 = any free port)
 * @param logging    the log format, level and file
 */
public record OpsSettings(String listenHost, int listenPort, LogSettings logging) {
    public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 8025;
    public static final OpsSettings DEFAULTS = new OpsSettings(DEFAULT_LISTEN_HOST, DEFAULT_LISTEN_PORT, LogSettings.DEFAULTS);

    public OpsSettings {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(logging, "logging");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + listenPort);
        }
    }

    public OpsSettings withListen(String host, int port) {
        return new OpsSettings(host, port, logging);
    }

    public OpsSettings withLogging(LogSettings l) {
        return new OpsSettings(listenHost, listenPort, l);
    }
}
