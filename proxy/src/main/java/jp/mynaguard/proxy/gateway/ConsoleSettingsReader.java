package jp.mynaguard.proxy.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import jp.mynaguard.proxy.console.ConsoleLimits;
import jp.mynaguard.proxy.console.ConsoleSettings;
import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * gateway.yaml's {@code console:} section ({@code console: false} turns the console off):
 * <pre>
 * console:
 *   listen: 127.0.0.1:8025       # beyond loopback the console speaks HTTPS
 *   https: auto                  # auto | true | false (false only behind a TLS-terminating proxy)
 *   tls: {certificate: cert.pem, key: key.pem}   # default: issued from the local CA
 *   require_totp: [approver, admin]
 *   session_idle: 30m
 *   session_max: 12h
 * </pre>
 */
final class ConsoleSettingsReader {
    private ConsoleSettingsReader() {
    }

    static ConsoleSettings read(GatewayConfigLoader.Section top, Path base, ConsoleSettings current) {
        Object raw = top.raw("console");
        if (raw instanceof Boolean on) {
            return current.withEnabled(on);
        }
        GatewayConfigLoader.Section s = top.section("console");
        s.allow(Set.of("enabled", "listen", "https", "tls", "require_totp", "session_idle", "session_max"));
        ConsoleSettings c = current;
        if (s.has("enabled")) {
            c = c.withEnabled(s.bool("enabled"));
        }
        if (s.has("listen")) {
            String listen = s.string("listen");
            HostPort hp = s.wrap("listen", () -> HostPort.parse(listen, ConsoleLimits.DEFAULT_PORT));
            c = c.withListen(hp.host(), hp.port());
        }
        ConsoleSettings.Https mode = c.https();
        if (s.has("https")) {
            String v = s.string("https").toLowerCase(Locale.ROOT);
            mode = switch (v) {
                case "auto" -> ConsoleSettings.Https.AUTO;
                case "true", "on", "yes" -> ConsoleSettings.Https.ON;
                case "false", "off", "no" -> ConsoleSettings.Https.OFF;
                default -> {
                    s.check("https", false, "expected auto, true or false");
                    yield mode;
                }
            };
        }
        Path cert = c.certificate();
        Path key = c.key();
        if (s.has("tls")) {
            GatewayConfigLoader.Section tls = s.section("tls");
            tls.allow(Set.of("certificate", "key"));
            cert = tls.has("certificate") ? base.resolve(tls.string("certificate")) : null;
            key = tls.has("key") ? base.resolve(tls.string("key")) : null;
        }
        ConsoleSettings.Https m = mode;
        Path ce = cert;
        Path k = key;
        ConsoleSettings before = c;
        c = s.wrap("tls", () -> before.withHttps(m, ce, k));
        if (s.has("require_totp")) {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String r : s.strings("require_totp")) {
                roles.add(s.wrap("require_totp", () -> SmtpUsers.role(r)));
            }
            c = c.withTotpRequiredFor(roles);
        }
        Duration idle = s.has("session_idle") ? duration(s, "session_idle") : c.sessionIdle();
        Duration max = s.has("session_max") ? duration(s, "session_max") : c.sessionMax();
        ConsoleSettings last = c;
        return s.wrap("session_idle", () -> last.withSessions(idle, max));
    }

    private static Duration duration(GatewayConfigLoader.Section s, String key) {
        Duration d = s.wrap(key, () -> Durations.parse(s.string(key)));
        s.check(key, !d.isNegative() && !d.isZero(), "must be positive");
        return d;
    }
}
