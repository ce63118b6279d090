package jp.mynaguard.proxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import jp.mynaguard.proxy.gateway.GatewayConfig;
import jp.mynaguard.proxy.gateway.GatewayConfigLoader;
import jp.mynaguard.proxy.ops.LogSettings;
import jp.mynaguard.proxy.ops.OpsSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ops:} and {@code logging:} in gateway.yaml, and the log flags of {@code serve} over them. */
class ServeOpsOptionsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTextInfoOnStandardErrorAndTheConsolePort() {
        OpsSettings ops = GatewayConfig.defaults().ops();
        assertEquals("127.0.0.1", ops.listenHost());
        assertEquals(8025, ops.listenPort());
        assertEquals(LogSettings.Format.TEXT, ops.logging().format());
        assertEquals(LogSettings.Level.INFO, ops.logging().level());
        assertNull(ops.logging().file());
    }

    @Test
    void theFileSetsThemAndTheFlagsWin() throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, "ops:\n  listen: 0.0.0.0:9100\nlogging:\n  format: json\n  level: warn\n  file: logs/gw.log\n");
        OpsSettings ops = GatewayConfigLoader.load(yaml, GatewayConfig.builder()).build().ops();
        assertEquals("0.0.0.0", ops.listenHost());
        assertEquals(9100, ops.listenPort());
        assertEquals(new LogSettings(LogSettings.Format.JSON, LogSettings.Level.WARN, dir.resolve("logs/gw.log")), ops.logging());

        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--config", yaml.toString(), "--log-format", "text", "--log-level", "debug");
        LogSettings flags = serve.config().ops().logging();
        assertEquals(LogSettings.Format.TEXT, flags.format());
        assertEquals(LogSettings.Level.DEBUG, flags.level());
        assertEquals(dir.resolve("logs/gw.log"), flags.file(), "what the flags do not name stays as the file says");
    }

    @Test
    void mistakesNameTheSetting() throws Exception {
        Path yaml = dir.resolve("gateway.yaml");
        Files.writeString(yaml, "logging:\n  format: xml\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().endsWith("logging.format: log format must be text or json, not 'xml'"), e.getMessage());
        Files.writeString(yaml, "logging:\n  colour: yes\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("logging.colour: unknown setting (known: file, format, level)"), e.getMessage());
        Files.writeString(yaml, "ops:\n  listen: 'localhost:http'\n");
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfigLoader.load(yaml, GatewayConfig.builder()));
        assertTrue(e.getMessage().contains("ops.listen: bad port in localhost:http"), e.getMessage());

        ScanCommandTest.Run r = ScanCommandTest.run("serve", "--log-format", "xml", "--data", dir.resolve("d").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("mynaguard serve: log format must be text or json, not 'xml'"), r.err());
    }
}
