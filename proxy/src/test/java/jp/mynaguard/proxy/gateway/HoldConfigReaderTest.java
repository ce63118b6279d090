package jp.mynaguard.proxy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jp.mynaguard.proxy.hold.HoldSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hold:} section of gateway.yaml: every key, its defaults, and clear errors. */
class HoldConfigReaderTest {
    @TempDir
    Path dir;

    private GatewayConfig load(String yaml) throws Exception {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        return GatewayConfigLoader.load(f, GatewayConfig.builder()).build();
    }

    @Test
    void everySettingIsRead() throws Exception {
        GatewayConfig c = load("""
                hold:
                  console_url: https://mynaguard.example.co.jp:8025
                  retention: 3d
                  release_retry_for: 12h
                  release_first_retry: 30s
                  release_max_retry_interval: 30m
                  release_lease: 20m
                  relay_timeout: 10m
                  scheduler_tick: 2s
                  templates: notice-templates
                  store:
                    jdbc_url: jdbc:postgresql://db.example.co.jp:5432/mynaguard
                    user: mynaguard
                    password_file: db.password
                    pool_size: 4
                """);
        HoldSettings h = c.hold();
        assertEquals("https://mynaguard.example.co.jp:8025/", h.consoleUrl());
        assertEquals("https://mynaguard.example.co.jp:8025/items/ABCD2345", h.itemUrl("ABCD2345"));
        assertEquals(Duration.ofDays(3), h.retention());
        assertEquals(Duration.ofHours(12), h.releaseRetryFor());
        assertEquals(Duration.ofSeconds(30), h.firstRetry());
        assertEquals(Duration.ofMinutes(30), h.maxRetryInterval());
        assertEquals(Duration.ofMinutes(20), h.releaseLease());
        assertEquals(Duration.ofMinutes(10), h.relayTimeout());
        assertEquals(Duration.ofSeconds(2), h.tick());
        assertEquals(dir.resolve("notice-templates"), h.templateDirectory());
        assertEquals("jdbc:postgresql://db.example.co.jp:5432/mynaguard", h.postgres().jdbcUrl());
        assertEquals("mynaguard", h.postgres().user());
        assertEquals(dir.resolve("db.password"), h.postgres().passwordFile());
        assertEquals(4, h.postgres().poolSize());
    }

    @Test
    void withoutTheSectionTheDefaultsApply() throws Exception {
        HoldSettings h = load("data: d\n").hold();
        assertEquals(HoldSettings.DEFAULT_RETENTION, h.retention());
        assertEquals(Duration.ofDays(7), h.retention());
        assertEquals(Duration.ofHours(24), h.releaseRetryFor());
        assertEquals(HoldSettings.DEFAULT_CONSOLE_URL, h.consoleUrl());
        assertNull(h.postgres(), "SQLite under the data directory");
        assertEquals(Duration.ofMinutes(1), h.retryDelay(1));
        assertEquals(Duration.ofMinutes(2), h.retryDelay(2));
        assertEquals(Duration.ofMinutes(32), h.retryDelay(6));
        assertEquals(Duration.ofHours(1), h.retryDelay(7), "capped");
        assertEquals(Duration.ofHours(1), h.retryDelay(50));
    }

    @Test
    void mistakesAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> load("hold:\n  retension: 7d\n"));
        assertTrue(unknown.getMessage().contains("hold.retension: unknown setting"), unknown.getMessage());
        IllegalArgumentException lease = assertThrows(IllegalArgumentException.class,
                () -> load("hold:\n  release_lease: 1m\n  relay_timeout: 5m\n"));
        assertTrue(lease.getMessage().contains("relay_timeout must be shorter than release_lease"), lease.getMessage());
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> load("hold:\n  store:\n    jdbc_url: jdbc:mysql://x/y\n"));
        assertTrue(url.getMessage().contains("jdbc_url must start with jdbc:postgresql:"), url.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> load("hold:\n  retention: 0s\n"));
        assertTrue(zero.getMessage().contains("hold.retention: must be positive"), zero.getMessage());
        IllegalArgumentException console = assertThrows(IllegalArgumentException.class,
                () -> load("hold:\n  console_url: mynaguard.example.co.jp\n"));
        assertTrue(console.getMessage().contains("console_url"), console.getMessage());
    }
}
