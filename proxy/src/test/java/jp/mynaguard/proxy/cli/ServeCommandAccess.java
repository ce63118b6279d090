package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.nio.file.Path;

import jp.mynaguard.proxy.gateway.GatewayConfig;

/** For tests in other packages: the serve command's flags, as picocli would set them. */
public final class ServeCommandAccess {
    private final ServeCommand serve = new ServeCommand();

    public ServeCommandAccess(Path configFile, String httpListen, boolean allowPrivate, Path upstreamTrust) {
        serve.configFile = configFile;
        serve.httpListen = httpListen;
        serve.allowPrivateDestinations = allowPrivate;
        serve.upstreamTrust = upstreamTrust;
    }

    public GatewayConfig config() throws IOException {
        return serve.config();
    }
}
