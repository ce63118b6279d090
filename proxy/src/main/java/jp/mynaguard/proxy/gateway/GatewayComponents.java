package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jp.mynaguard.proxy.hold.HoldSettings;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.hold.PostgresHoldStore;
import jp.mynaguard.proxy.hold.SqliteHoldStore;
import jp.mynaguard.proxy.smtp.Upstream;
import jp.mynaguard.proxy.smtp.upstream.OutboxUpstream;
import jp.mynaguard.proxy.smtp.upstream.SmtpUpstream;
import jp.mynaguard.proxy.smtp.upstream.TlsMode;
import jp.mynaguard.proxy.smtp.upstream.UpstreamConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the two components the SMTP server is given rather than owns: the {@link Upstream}
 * (the outbox, or the client to the smarthost) and the {@link HoldStore} (SQLite under the data
 * directory, or the shared PostgreSQL store when {@code hold.store} is configured). Tests pass their own
 * {@link Factory} with doubles.
 */
public final class GatewayComponents {
    private static final Logger log = LoggerFactory.getLogger(GatewayComponents.class);
    /** How long start-up waits to learn the smarthost's SIZE, 8BITMIME and SMTPUTF8. */
    private static final long PROBE_SECONDS = 30;

    private GatewayComponents() {
    }

    /** Constructs the upstream and the hold store. */
    public interface Factory {
        /**
         * @param ehloName our name in EHLO to the smarthost
         */
        Upstream upstream(UpstreamSettings settings, Path dataDir, String ehloName) throws IOException;

        HoldStore holdStore(Path dataDir) throws IOException;

        /** The hold store as configured ({@code hold.store}); a factory without a choice gives its only one. */
        default HoldStore holdStore(HoldSettings settings, Path dataDir) throws IOException {
            return holdStore(dataDir);
        }
    }

    /** The production implementations: {@code DATA/outbox} or the smarthost client, and the SQLite store. */
    public static final Factory DEFAULT = new Factory() {
        @Override
        public Upstream upstream(UpstreamSettings s, Path dataDir, String ehloName) throws IOException {
            if (s.outbox()) {
                return new OutboxUpstream(dataDir.resolve("outbox"));
            }
            UpstreamConfig.Builder b = UpstreamConfig.builder(s.host(), s.port())
                    .tls(TlsMode.valueOf(s.tls().toUpperCase(Locale.ROOT)))
                    .ehloName(ehloName);
            if (s.trustFile() != null) {
                b.trustFile(s.trustFile());
            }
            if (s.username() != null) {
                b.auth(s.username(), readPassword(s.passwordFile()));
            }
            SmtpUpstream u = new SmtpUpstream(b.build());
            probe(u);
            return u;
        }

        @Override
        public HoldStore holdStore(Path dataDir) throws IOException {
            return SqliteHoldStore.open(dataDir);
        }

        @Override
        public HoldStore holdStore(HoldSettings settings, Path dataDir) throws IOException {
            return settings.postgres() != null ? PostgresHoldStore.open(settings.postgres(), dataDir)
                    : SqliteHoldStore.open(dataDir);
        }
    };

    /**
     * Learns the smarthost's capabilities before the first client's EHLO, so SIZE, 8BITMIME and
     * SMTPUTF8 are advertised right from the start. A smarthost that is down does not stop the
     * start: clients then get 451 until it is back, and the defaults are advertised meanwhile.
     */
    private static void probe(SmtpUpstream u) {
        try {
            u.probe().get(PROBE_SECONDS, TimeUnit.SECONDS);
            log.info("upstream capabilities: {}", u.capabilities());
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not learn the upstream's capabilities at start ({}); assuming the defaults", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first line of the smarthost password file (kept out of gateway.yaml so that can be shared). */
    static String readPassword(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
