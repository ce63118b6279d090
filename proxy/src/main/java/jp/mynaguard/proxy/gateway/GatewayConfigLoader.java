package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jp.mynaguard.proxy.ops.LogSettings;
import jp.mynaguard.proxy.ops.OpsSettings;
import jp.mynaguard.proxy.smtp.BareLineEndPolicy;
import jp.mynaguard.proxy.smtp.Cidr;
import jp.mynaguard.proxy.smtp.LongLinePolicy;
import jp.mynaguard.proxy.smtp.SenderCheck;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads {@code gateway.yaml}. Every key is checked: a misspelt setting is an error naming it, not
 * a silently ignored line. Relative paths are resolved against the file's directory. See
 * {@code examples/gateway.yaml} for every setting with its default.
 */
public final class GatewayConfigLoader {
    private GatewayConfigLoader() {
    }

    /** @throws IllegalArgumentException with {@code FILE: key: problem} for an invalid file */
    public static GatewayConfig.Builder load(Path file, GatewayConfig.Builder b) throws IOException {
        Object root;
        try (InputStream in = Files.newInputStream(file)) {
            // YAML 1.2 core schema, no duplicate keys (snakeyaml-engine's defaults).
            root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromInputStream(in);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        Section top = Section.of(file.toString(), "", root == null ? Map.of() : root);
        top.allow(Set.of("data", "policy", "smtp", "upstream", "ca_dir", "tunnels", "ops", "logging", "hold", "http",
                "audit", "console"));
        if (top.has("data")) {
            b.dataDir(base.resolve(top.string("data")));
        }
        if (top.has("ca_dir")) {
            b.caDir(base.resolve(top.string("ca_dir")));
        }
        if (top.has("policy")) {
            b.policyFile(base.resolve(top.string("policy")));
        }
        if (top.has("upstream")) {
            b.upstream(upstream(top, base));
        }
        if (top.has("smtp")) {
            smtp(top.section("smtp"), base, b);
        }
        if (top.has("tunnels")) {
            b.tunnels(tunnels(top.section("tunnels")));
        }
        if (top.has("ops") || top.has("logging")) {
            b.ops(ops(top, base, b.ops()));
        }
        if (top.has("hold")) {
            b.hold(HoldConfigReader.read(top.section("hold"), base));
        }
        if (top.has("http")) {
            b.http(http(top.section("http"), base, b.http()));
        }
        if (top.has("audit")) {
            b.audit(jp.mynaguard.proxy.audit.AuditSettings.parse(file + ": audit", top.raw("audit"), base, Durations::parse));
        }
        if (top.has("console")) {
            b.console(ConsoleSettingsReader.read(top, base, b.console()));
        }
        return b;
    }

    /** The {@code http:} section: the proxy's listen address, destinations, trust, users and limits. */
    private static HttpProxySettings http(Section s, Path base, HttpProxySettings h) {
        s.allow(Set.of("enabled", "listen", "allow_private_destinations", "upstream_trust", "require_auth",
                "anonymous_networks", "client_users", "websocket_hosts", "contact", "max_body_size", "head_deadline",
                "idle_timeout", "approval_window", "decision_timeout", "max_connections", "max_connections_per_address",
                "memory_body_size", "memory_bodies_size"));
        if (s.has("enabled")) {
            h = h.withEnabled(s.bool("enabled"));
        }
        if (s.has("listen")) {
            String listen = s.string("listen");
            HttpProxySettings before = h;
            h = s.wrap("listen", () -> before.withListen(listen));
        }
        if (s.has("allow_private_destinations")) {
            h = h.withAllowPrivateDestinations(s.bool("allow_private_destinations"));
        }
        if (s.has("upstream_trust")) {
            h = h.withUpstreamTrust(base.resolve(s.string("upstream_trust")));
        }
        if (s.has("require_auth")) {
            boolean required = s.bool("require_auth");
            h = h.withSetting(c -> c.requireAuth(required));
        }
        if (s.has("anonymous_networks")) {
            List<Cidr> nets = new ArrayList<>();
            for (String n : s.strings("anonymous_networks")) {
                nets.add(s.wrap("anonymous_networks", () -> Cidr.parse(n)));
            }
            h = h.withSetting(c -> c.anonymousNetworks(nets));
        }
        for (Map.Entry<Cidr, String> m : clientUsers(s).entrySet()) {
            h = h.withSetting(c -> c.clientUser(m.getKey(), m.getValue()));
        }
        if (s.has("websocket_hosts")) {
            for (String host : s.strings("websocket_hosts")) {
                s.wrap("websocket_hosts", () -> jp.mynaguard.proxy.http.HttpProxyConfig.builder().websocketHost(host));
                h = h.withSetting(c -> c.websocketHost(host));
            }
        }
        if (s.has("contact")) {
            String contact = s.string("contact");
            h = h.withSetting(c -> c.contact(contact));
        }
        if (s.has("max_body_size")) {
            long v = s.longValue("max_body_size");
            s.check("max_body_size", v > 0, "must be positive");
            h = h.withSetting(c -> c.maxBodyBytes(v));
        }
        if (s.has("memory_body_size") || s.has("memory_bodies_size")) {
            long per = s.has("memory_body_size") ? s.longValue("memory_body_size")
                    : jp.mynaguard.proxy.http.HttpProxyLimits.MEMORY_BODY_BYTES;
            long all = s.has("memory_bodies_size") ? s.longValue("memory_bodies_size")
                    : jp.mynaguard.proxy.http.HttpProxyLimits.MEMORY_BODIES_BYTES;
            s.check("memory_body_size", per > 0, "must be positive");
            s.check("memory_bodies_size", all > 0, "must be positive");
            h = h.withSetting(c -> c.bodyMemory(per, all));
        }
        if (s.has("max_connections") || s.has("max_connections_per_address")) {
            int total = s.has("max_connections") ? s.integer("max_connections")
                    : jp.mynaguard.proxy.http.HttpProxyLimits.MAX_CONNECTIONS;
            int per = s.has("max_connections_per_address") ? s.integer("max_connections_per_address")
                    : Math.min(total, jp.mynaguard.proxy.http.HttpProxyLimits.MAX_CONNECTIONS_PER_ADDRESS);
            s.check("max_connections", total > 0 && per > 0, "must be positive");
            h = h.withSetting(c -> c.maxConnections(total, per));
        }
        for (String key : List.of("head_deadline", "idle_timeout", "approval_window", "decision_timeout")) {
            if (s.has(key)) {
                java.time.Duration d = s.wrap(key, () -> Durations.parse(s.string(key)));
                s.check(key, !d.isNegative() && !d.isZero(), "must be positive");
                h = h.withSetting(switch (key) {
                    case "head_deadline" -> c -> c.headDeadline(d);
                    case "idle_timeout" -> c -> c.idleTimeout(d);
                    case "approval_window" -> c -> c.approvalWindow(d);
                    default -> c -> c.decisionTimeout(d);
                });
            }
        }
        return h;
    }

    /** {@code client_users: [{network: CIDR, user: NAME}]}, as SMTP and HTTP both write it. */
    private static Map<Cidr, String> clientUsers(Section s) {
        Map<Cidr, String> out = new LinkedHashMap<>();
        if (s.has("client_users")) {
            for (Section m : s.sections("client_users")) {
                m.allow(Set.of("network", "user"));
                Cidr net = m.wrap("network", () -> Cidr.parse(m.string("network")));
                out.put(net, m.string("user"));
            }
        }
        return out;
    }

    private static UpstreamSettings upstream(Section top, Path base) {
        Object u = top.raw("upstream");
        if (u instanceof String s) {
            return top.wrap("upstream", () -> UpstreamSettings.parse(s));
        }
        Section sec = top.section("upstream");
        sec.allow(Set.of("host", "port", "tls", "trust", "username", "password_file"));
        String host = sec.string("host");
        int port = sec.has("port") ? sec.integer("port") : UpstreamSettings.DEFAULT_PORT;
        return sec.wrap("", () -> new UpstreamSettings(host, port, sec.has("tls") ? sec.string("tls") : null,
                sec.has("trust") ? base.resolve(sec.string("trust")) : null,
                sec.has("username") ? sec.string("username") : null,
                sec.has("password_file") ? base.resolve(sec.string("password_file")) : null));
    }

    /** The HTTP proxy's CONNECT tunnels: ports, passthrough and plain hosts, deadlines. */
    private static jp.mynaguard.proxy.http.TunnelSettings tunnels(Section s) {
        s.allow(Set.of("ports", "passthrough", "plain_hosts", "client_hello_timeout", "connect_timeout",
                "relay_idle_timeout"));
        jp.mynaguard.proxy.http.TunnelSettings.Builder t = jp.mynaguard.proxy.http.TunnelSettings.builder();
        if (s.has("ports")) {
            s.check("ports", s.raw("ports") instanceof List<?> l && l.stream().allMatch(Integer.class::isInstance),
                    "must be a list of port numbers");
            t.allowedPorts(Set.copyOf(((List<?>) s.raw("ports")).stream().map(Integer.class::cast).toList()));
        }
        if (s.has("passthrough")) {
            List<String> hosts = s.strings("passthrough");
            s.wrap("passthrough", () -> t.passthroughHosts(hosts));
        }
        if (s.has("plain_hosts")) {
            List<String> hosts = s.strings("plain_hosts");
            s.wrap("plain_hosts", () -> t.plainHosts(hosts));
        }
        if (s.has("client_hello_timeout")) {
            t.clientHelloTimeout(s.wrap("client_hello_timeout", () -> Durations.parse(s.string("client_hello_timeout"))));
        }
        if (s.has("connect_timeout")) {
            t.connectTimeout(s.wrap("connect_timeout", () -> Durations.parse(s.string("connect_timeout"))));
        }
        if (s.has("relay_idle_timeout")) {
            t.relayIdleTimeout(s.wrap("relay_idle_timeout", () -> Durations.parse(s.string("relay_idle_timeout"))));
        }
        return s.wrap("", t::build);
    }

    /** {@code ops: {listen}} and {@code logging: {format, level, file}}. */
    private static OpsSettings ops(Section top, Path base, OpsSettings o) {
        if (top.has("ops")) {
            Section sec = top.section("ops");
            sec.allow(Set.of("listen"));
            if (sec.has("listen")) {
                HostPort hp = sec.wrap("listen", () -> HostPort.parse(sec.string("listen"), OpsSettings.DEFAULT_LISTEN_PORT));
                o = o.withListen(hp.host(), hp.port());
            }
        }
        if (top.has("logging")) {
            Section sec = top.section("logging");
            sec.allow(Set.of("format", "level", "file"));
            LogSettings l = o.logging();
            if (sec.has("format")) {
                l = l.withFormat(sec.wrap("format", () -> LogSettings.Format.parse(sec.string("format"))));
            }
            if (sec.has("level")) {
                l = l.withLevel(sec.wrap("level", () -> LogSettings.Level.parse(sec.string("level"))));
            }
            if (sec.has("file")) {
                l = l.withFile(base.resolve(sec.string("file")));
            }
            o = o.withLogging(l);
        }
        return o;
    }

    private static void smtp(Section s, Path base, GatewayConfig.Builder b) {
        s.allow(Set.of("listen", "hostname", "tls", "users_file", "relay_networks", "client_users", "sender_check",
                "bare_lf", "long_lines", "max_message_size", "max_recipients", "max_connections",
                "max_connections_per_address", "commands_per_second", "command_burst", "max_junk_commands",
                "max_errors", "max_auth_failures", "idle_timeout", "mail_deadline", "data_idle_timeout",
                "data_deadline", "decision_timeout", "shutdown_grace", "spool_threshold", "notice_from"));
        if (s.has("listen")) {
            String listen = s.string("listen");
            s.wrap("listen", () -> b.smtpListen(listen));
        }
        if (s.has("hostname")) {
            b.hostname(s.string("hostname"));
        }
        if (s.has("users_file")) {
            b.usersFile(base.resolve(s.string("users_file")));
        }
        if (s.has("tls")) {
            Object t = s.raw("tls");
            if (Boolean.FALSE.equals(t)) {
                b.tls(new GatewayConfig.TlsSettings(false, null, null));
            } else {
                Section tls = s.section("tls");
                tls.allow(Set.of("enabled", "certificate", "key"));
                boolean enabled = !tls.has("enabled") || tls.bool("enabled");
                Path cert = tls.has("certificate") ? base.resolve(tls.string("certificate")) : null;
                Path key = tls.has("key") ? base.resolve(tls.string("key")) : null;
                b.tls(tls.wrap("", () -> new GatewayConfig.TlsSettings(enabled, cert, key)));
            }
        }
        if (s.has("relay_networks")) {
            List<Cidr> nets = new ArrayList<>();
            for (String n : s.strings("relay_networks")) {
                nets.add(s.wrap("relay_networks", () -> Cidr.parse(n)));
            }
            b.smtpSetting(c -> c.relayNetworks(nets));
        }
        for (Map.Entry<Cidr, String> m : clientUsers(s).entrySet()) {
            b.smtpSetting(c -> c.clientUser(m.getKey(), m.getValue()));
        }
        enumSetting(s, "sender_check", SenderCheck.class, b, (c, v) -> c.senderCheck(v));
        enumSetting(s, "bare_lf", BareLineEndPolicy.class, b, (c, v) -> c.bareLf(v));
        enumSetting(s, "long_lines", LongLinePolicy.class, b, (c, v) -> c.longLines(v));
        longSetting(s, "max_message_size", b, (c, v) -> c.maxMessageSize(v));
        longSetting(s, "max_recipients", b, (c, v) -> c.maxRecipients((int) v));
        longSetting(s, "max_connections", b, (c, v) -> c.maxConnections((int) v));
        longSetting(s, "max_connections_per_address", b, (c, v) -> c.maxConnectionsPerAddress((int) v));
        longSetting(s, "max_junk_commands", b, (c, v) -> c.maxJunkCommands((int) v));
        longSetting(s, "max_errors", b, (c, v) -> c.maxErrors((int) v));
        longSetting(s, "max_auth_failures", b, (c, v) -> c.maxAuthFailures((int) v));
        longSetting(s, "spool_threshold", b, (c, v) -> c.spoolThreshold((int) v));
        if (s.has("commands_per_second") || s.has("command_burst")) {
            int rate = s.has("commands_per_second") ? s.integer("commands_per_second")
                    : jp.mynaguard.proxy.smtp.SmtpLimits.COMMANDS_PER_SECOND;
            int burst = s.has("command_burst") ? s.integer("command_burst") : Math.max(rate,
                    jp.mynaguard.proxy.smtp.SmtpLimits.COMMAND_BURST);
            s.check("commands_per_second", rate > 0 && burst > 0, "must be positive");
            b.smtpSetting(c -> c.commandRate(rate, burst));
        }
        durationSetting(s, "idle_timeout", b, (c, v) -> c.idleTimeout(v));
        durationSetting(s, "mail_deadline", b, (c, v) -> c.mailDeadline(v));
        durationSetting(s, "data_idle_timeout", b, (c, v) -> c.dataIdleTimeout(v));
        durationSetting(s, "data_deadline", b, (c, v) -> c.dataDeadline(v));
        durationSetting(s, "decision_timeout", b, (c, v) -> c.decisionTimeout(v));
        durationSetting(s, "shutdown_grace", b, (c, v) -> c.shutdownGrace(v));
        if (s.has("notice_from")) {
            String from = s.string("notice_from");
            b.smtpSetting(c -> c.noticeFrom(from));
        }
    }

    private static <E extends Enum<E>> void enumSetting(Section s, String key, Class<E> type, GatewayConfig.Builder b,
                                                        java.util.function.BiConsumer<jp.mynaguard.proxy.smtp.SmtpServerConfig.Builder, E> set) {
        if (s.has(key)) {
            String v = s.string(key);
            E e = s.wrap(key, () -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)));
            b.smtpSetting(c -> set.accept(c, e));
        }
    }

    private static void longSetting(Section s, String key, GatewayConfig.Builder b,
                                    java.util.function.ObjLongConsumer<jp.mynaguard.proxy.smtp.SmtpServerConfig.Builder> set) {
        if (s.has(key)) {
            long v = s.longValue(key);
            s.check(key, v > 0 && v <= Integer.MAX_VALUE * (key.equals("max_message_size") ? 1024L : 1L), "out of range");
            b.smtpSetting(c -> set.accept(c, v));
        }
    }

    private static void durationSetting(Section s, String key, GatewayConfig.Builder b,
                                        java.util.function.BiConsumer<jp.mynaguard.proxy.smtp.SmtpServerConfig.Builder,
                                                java.time.Duration> set) {
        if (s.has(key)) {
            java.time.Duration d = s.wrap(key, () -> Durations.parse(s.string(key)));
            s.check(key, !d.isNegative() && !d.isZero(), "must be positive");
            b.smtpSetting(c -> set.accept(c, d));
        }
    }

    /** One mapping of the file, with its path for error messages. */
    static final class Section {
        private final String file;
        private final String path;
        private final Map<String, Object> map;

        private Section(String file, String path, Map<String, Object> map) {
            this.file = file;
            this.path = path;
            this.map = map;
        }

        static Section of(String file, String path, Object value) {
            if (!(value instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(file + ": " + (path.isEmpty() ? "the file" : path)
                        + ": expected a mapping (key: value)");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return new Section(file, path, out);
        }

        private String where(String key) {
            return file + ": " + (path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key);
        }

        void allow(Set<String> keys) {
            for (String k : map.keySet()) {
                if (!keys.contains(k)) {
                    throw new IllegalArgumentException(where(k) + ": unknown setting (known: " + String.join(", ",
                            new java.util.TreeSet<>(keys)) + ")");
                }
            }
        }

        boolean has(String key) {
            return map.containsKey(key) && map.get(key) != null;
        }

        Object raw(String key) {
            return map.get(key);
        }

        String string(String key) {
            Object v = map.get(key);
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                return String.valueOf(v);
            }
            throw new IllegalArgumentException(where(key) + ": expected a value");
        }

        int integer(String key) {
            long v = longValue(key);
            check(key, v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE, "out of range");
            return (int) v;
        }

        long longValue(String key) {
            Object v = map.get(key);
            if (v instanceof Number n) {
                return n.longValue();
            }
            throw new IllegalArgumentException(where(key) + ": expected a number");
        }

        boolean bool(String key) {
            Object v = map.get(key);
            if (v instanceof Boolean bo) {
                return bo;
            }
            throw new IllegalArgumentException(where(key) + ": expected true or false");
        }

        List<String> strings(String key) {
            Object v = map.get(key);
            if (!(v instanceof List<?> list)) {
                throw new IllegalArgumentException(where(key) + ": expected a list");
            }
            return list.stream().map(String::valueOf).toList();
        }

        Section section(String key) {
            return of(file, path.isEmpty() ? key : path + "." + key, map.get(key));
        }

        List<Section> sections(String key) {
            Object v = map.get(key);
            if (!(v instanceof List<?> list)) {
                throw new IllegalArgumentException(where(key) + ": expected a list");
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(of(file, (path.isEmpty() ? key : path + "." + key) + "[" + i + "]", list.get(i)));
            }
            return out;
        }

        void check(String key, boolean ok, String problem) {
            if (!ok) {
                throw new IllegalArgumentException(where(key) + ": " + problem);
            }
        }

        <T> T wrap(String key, java.util.function.Supplier<T> parse) {
            try {
                return parse.get();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(key) + ": " + e.getMessage(), e);
            }
        }
    }
}
