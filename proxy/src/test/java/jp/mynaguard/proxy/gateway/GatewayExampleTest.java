package jp.mynaguard.proxy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.mynaguard.proxy.ops.OpsSettings;
import jp.mynaguard.proxy.smtp.SmtpServerConfig;

import org.junit.jupiter.api.Test;

/**
 * {@code examples/gateway.yaml} documents every setting the loader knows, and the values it
 * shows are the real defaults: loading it changes nothing but the paths.
 */
class GatewayExampleTest {
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(p.resolve("examples/gateway.yaml"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void everyKeyTheLoaderAcceptsIsInTheExample() throws Exception {
        Path loader = root().resolve("proxy/src/main/java/jp/mynaguard/proxy/gateway/GatewayConfigLoader.java");
        String source = Files.readString(loader, StandardCharsets.UTF_8);
        String example = Files.readString(root().resolve("examples/gateway.yaml"), StandardCharsets.UTF_8);
        Matcher sets = Pattern.compile("allow\\(Set\\.of\\(([^)]*)\\)\\)").matcher(source);
        List<String> keys = new ArrayList<>();
        while (sets.find()) {
            Matcher k = Pattern.compile("\"([a-z_]+)\"").matcher(sets.group(1));
            while (k.find()) {
                keys.add(k.group(1));
            }
        }
        assertTrue(keys.size() > 30, "the loader's key lists were read: " + keys);
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            // Set, or shown commented out with its default: "  key:" or "# key:" at the start of a line.
            if (!Pattern.compile("(?m)^[ #]*(- )?" + key + ":").matcher(example).find()) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "settings not documented in examples/gateway.yaml");
    }

    @Test
    void theExampleShowsTheDefaults() throws Exception {
        GatewayConfig ex = GatewayConfigLoader.load(root().resolve("examples/gateway.yaml"), GatewayConfig.builder()).build();
        GatewayConfig defaults = GatewayConfig.defaults();
        assertEquals(defaults.smtpListenHost(), ex.smtpListenHost());
        assertEquals(defaults.smtpListenPort(), ex.smtpListenPort());
        assertEquals(defaults.upstream(), ex.upstream());
        assertEquals(defaults.tls(), ex.tls());
        assertEquals(defaults.hostname(), ex.hostname());
        assertEquals(OpsSettings.DEFAULTS, ex.ops());
        SmtpServerConfig.Builder sb = SmtpServerConfig.builder();
        ex.applySmtpSettings(sb);
        SmtpServerConfig shown = sb.build();
        SmtpServerConfig real = SmtpServerConfig.builder().build();
        List<Function<SmtpServerConfig, Object>> values = List.of(SmtpServerConfig::maxMessageSize,
                SmtpServerConfig::maxRecipients, SmtpServerConfig::maxConnections,
                SmtpServerConfig::maxConnectionsPerAddress, SmtpServerConfig::commandsPerSecond,
                SmtpServerConfig::commandBurst, SmtpServerConfig::maxJunkCommands, SmtpServerConfig::maxErrors,
                SmtpServerConfig::maxAuthFailures, SmtpServerConfig::idleTimeout, SmtpServerConfig::mailDeadline,
                SmtpServerConfig::dataIdleTimeout, SmtpServerConfig::dataDeadline, SmtpServerConfig::decisionTimeout,
                SmtpServerConfig::shutdownGrace, SmtpServerConfig::bareLf, SmtpServerConfig::longLines,
                SmtpServerConfig::senderCheck, SmtpServerConfig::relayNetworks, SmtpServerConfig::clientUsers,
                SmtpServerConfig::spoolThreshold);
        for (int i = 0; i < values.size(); i++) {
            // As text: Cidr and the client mappings compare by what they say, not by identity.
            assertEquals(String.valueOf(values.get(i).apply(real)), String.valueOf(values.get(i).apply(shown)), "setting #" + i);
        }
    }
}
