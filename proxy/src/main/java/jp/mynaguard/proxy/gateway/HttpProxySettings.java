package jp.mynaguard.proxy.gateway;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import jp.mynaguard.proxy.http.HttpProxyConfig;

/**
 * The {@code http:} part of the gateway's settings ({@code --http-listen},
 * {@code --allow-private-destinations}, {@code --upstream-trust} and the rest of gateway.yaml's
 * {@code http:} section), applied to an {@link HttpProxyConfig.Builder} when the gateway starts.
 *
 * @param enabled                  whether the proxy runs at all ({@code http: {enabled: false}})
 * @param listen                   HOST:PORT, default {@value #DEFAULT_LISTEN}
 * @param allowPrivateDestinations labs and tests: origins in private and loopback ranges may be reached
 * @param upstreamTrust            an extra PEM bundle of trusted origin CAs, or {@code null}
 * @param settings                 the other validated settings from gateway.yaml
 */
public record HttpProxySettings(boolean enabled, String listen, boolean allowPrivateDestinations, Path upstreamTrust,
                                List<Consumer<HttpProxyConfig.Builder>> settings) {
    /** On loopback: a fresh install is not an open proxy. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:3128";
    public static final HttpProxySettings DEFAULTS = new HttpProxySettings(true, DEFAULT_LISTEN, false, null, List.of());

    public HttpProxySettings {
        Objects.requireNonNull(listen, "listen");
        HostPort.parse(listen, 3128);
        settings = List.copyOf(settings);
    }

    public HttpProxySettings withEnabled(boolean on) {
        return new HttpProxySettings(on, listen, allowPrivateDestinations, upstreamTrust, settings);
    }

    public HttpProxySettings withListen(String spec) {
        return new HttpProxySettings(enabled, spec, allowPrivateDestinations, upstreamTrust, settings);
    }

    public HttpProxySettings withAllowPrivateDestinations(boolean allow) {
        return new HttpProxySettings(enabled, listen, allow, upstreamTrust, settings);
    }

    public HttpProxySettings withUpstreamTrust(Path pem) {
        return new HttpProxySettings(enabled, listen, allowPrivateDestinations, pem, settings);
    }

    public HttpProxySettings withSetting(Consumer<HttpProxyConfig.Builder> setting) {
        List<Consumer<HttpProxyConfig.Builder>> all = new ArrayList<>(settings);
        all.add(Objects.requireNonNull(setting, "setting"));
        return new HttpProxySettings(enabled, listen, allowPrivateDestinations, upstreamTrust, all);
    }

    public String listenHost() {
        return HostPort.parse(listen, 3128).host();
    }

    public int listenPort() {
        return HostPort.parse(listen, 3128).port();
    }

    /** Applies these settings to {@code b}: listen address, destinations, trust, then the file's settings. */
    public HttpProxyConfig.Builder applyTo(HttpProxyConfig.Builder b) {
        b.listen(new InetSocketAddress(listenHost(), listenPort()))
                .allowPrivateDestinations(allowPrivateDestinations)
                .upstreamTrust(upstreamTrust);
        settings.forEach(s -> s.accept(b));
        return b;
    }
}
