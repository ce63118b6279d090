package jp.mynaguard.proxy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Text and JSON lines through the real logback, to a real file. */
class LogSetupTest {
    private static final Logger log = LoggerFactory.getLogger("jp.mynaguard.test.LogSetupTest");

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        LogSetup.restoreDefaults();
    }

    @Test
    void jsonLinesOneObjectPerEvent() throws Exception {
        Path file = dir.resolve("logs/gateway.log");
        LogSetup.apply(new LogSettings(LogSettings.Format.JSON, LogSettings.Level.DEBUG, file));
        log.debug("ref {}: decided \"block\" for 田中", "ABCD2345");
        log.info("second line\nwith a line break");
        log.warn("failed", new IOException("disk full"));
        log.trace("below the level");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), "one line per event, nothing for TRACE: " + lines);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("DEBUG", first.get("level").asText());
        assertEquals("jp.mynaguard.test.LogSetupTest", first.get("loggerName").asText());
        assertEquals("ref ABCD2345: decided \"block\" for 田中", first.get("formattedMessage").asText());
        assertTrue(first.get("timestamp").asLong() > 0);
        assertFalse(first.has("arguments"), "no raw argument array");
        assertFalse(first.has("message"), "the formatted message only");
        assertEquals("second line\nwith a line break", json.readTree(lines.get(1)).get("formattedMessage").asText());
        JsonNode third = json.readTree(lines.get(2));
        assertEquals("WARN", third.get("level").asText());
        assertTrue(third.get("throwable").toString().contains("disk full"), third.toString());
    }

    @Test
    void textIsOneReadableLine() throws Exception {
        Path file = dir.resolve("gateway.log");
        LogSetup.apply(new LogSettings(LogSettings.Format.TEXT, LogSettings.Level.WARN, file));
        log.info("not at WARN");
        log.warn("ref {}: upstream failed", "ABCD2345");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[-+Z].* \\[.*\\] WARN  "
                + "jp.mynaguard.test.LogSetupTest - ref ABCD2345: upstream failed"), lines.get(0));
    }

    @Test
    void anUnwritableLogFileIsAClearErrorAndLoggingStaysAsItWas() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LogSetup.apply(LogSettings.DEFAULTS.withFile(notADir.resolve("gateway.log"))));
        assertTrue(e.getMessage().startsWith("cannot create the log directory"), e.getMessage());
        assertTrue(LoggerFactory.getLogger("x").isInfoEnabled(), "still configured");
    }

    @Test
    void settingsParseWithClearErrors() {
        assertEquals(LogSettings.Format.JSON, LogSettings.Format.parse(" JSON "));
        assertEquals(LogSettings.Level.DEBUG, LogSettings.Level.parse("debug"));
        assertEquals("log format must be text or json, not 'xml'",
                assertThrows(IllegalArgumentException.class, () -> LogSettings.Format.parse("xml")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogSettings.Level.parse("verbose"))
                .getMessage().startsWith("log level must be error, warn, info, debug or trace"));
    }
}
