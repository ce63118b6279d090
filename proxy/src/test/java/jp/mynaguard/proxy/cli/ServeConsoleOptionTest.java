package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --console-listen} over gateway.yaml's {@code console.listen}. */
class ServeConsoleOptionTest {
    @Test
    void theFlagOverridesTheFileAndDecidesHttps(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, "console:\n  listen: 0.0.0.0:8443\n  require_totp: [admin]\n");
        ServeCommand serve = new ServeCommand();
        serve.configFile = yaml;
        assertEquals(8443, serve.config().console().listenPort());
        assertTrue(serve.config().console().tls(), "beyond loopback");
        serve.consoleListen = "127.0.0.1:9025";
        assertEquals("127.0.0.1", serve.config().console().listenHost());
        assertEquals(9025, serve.config().console().listenPort());
        assertFalse(serve.config().console().tls(), "loopback: plain HTTP");
        assertEquals(1, serve.config().console().totpRequiredFor().size(), "the rest of the file stays");
    }
}
