package jp.mynaguard.proxy.gateway;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.smtp.Upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the two components the SMTP server is given rather than owns: the {@link Upstream}
 * (outbox or smarthost client) and the {@link HoldStore}. Tests pass their own {@link Factory}.
 *
 * <p><b>Merge note.</b> The implementations ({@code OutboxUpstream}, {@code SmtpUpstream},
 * {@code SqliteHoldStore}) are built on another branch. Until they are on main, {@link #DEFAULT}
 * finds them by name, so this class compiles and {@code serve} works as soon as they are on the
 * class path. After the merge, replace the body of {@link ByName} with the direct calls written
 * beside each lookup and drop the reflection.
 */
public final class GatewayComponents {
    private static final Logger log = LoggerFactory.getLogger(GatewayComponents.class);

    private GatewayComponents() {
    }

    /** Constructs the upstream and the hold store. */
    public interface Factory {
        /**
         * @param ehloName our name in EHLO to the smarthost
         */
        Upstream upstream(UpstreamSettings settings, Path dataDir, String ehloName) throws IOException;

        HoldStore holdStore(Path dataDir) throws IOException;
    }

    /** The production implementations. */
    public static final Factory DEFAULT = new ByName();

    /** Reflection stands in for three constructor calls until the implementations are merged (see the class note). */
    private static final class ByName implements Factory {
        private static final String OUTBOX = "jp.mynaguard.proxy.smtp.upstream.OutboxUpstream";
        private static final String SMTP = "jp.mynaguard.proxy.smtp.upstream.SmtpUpstream";
        private static final String CONFIG = "jp.mynaguard.proxy.smtp.upstream.UpstreamConfig";
        private static final String TLS_MODE = "jp.mynaguard.proxy.smtp.upstream.TlsMode";
        private static final String SQLITE = "jp.mynaguard.proxy.hold.SqliteHoldStore";

        @Override
        public Upstream upstream(UpstreamSettings s, Path dataDir, String ehloName) throws IOException {
            if (s.outbox()) {
                // return new OutboxUpstream(dataDir.resolve("outbox"));
                return (Upstream) construct(OUTBOX, new Class<?>[] {Path.class}, dataDir.resolve("outbox"));
            }
            // UpstreamConfig.Builder b = UpstreamConfig.builder(s.host(), s.port())
            //         .tls(TlsMode.valueOf(s.tls().toUpperCase(Locale.ROOT))).ehloName(ehloName);
            // if (s.trustFile() != null) b.trustFile(s.trustFile());
            // if (s.username() != null) b.auth(s.username(), readPassword(s.passwordFile()));
            // SmtpUpstream u = new SmtpUpstream(b.build());
            Object b = invoke(null, cls(CONFIG), "builder", new Class<?>[] {String.class, int.class}, s.host(), s.port());
            Class<?> bc = b.getClass();
            Object mode = invoke(null, cls(TLS_MODE), "valueOf", new Class<?>[] {String.class},
                    s.tls().toUpperCase(Locale.ROOT));
            invoke(b, bc, "tls", new Class<?>[] {cls(TLS_MODE)}, mode);
            invoke(b, bc, "ehloName", new Class<?>[] {String.class}, ehloName);
            if (s.trustFile() != null) {
                invoke(b, bc, "trustFile", new Class<?>[] {Path.class}, s.trustFile());
            }
            if (s.username() != null) {
                invoke(b, bc, "auth", new Class<?>[] {String.class, String.class}, s.username(),
                        readPassword(s.passwordFile()));
            }
            Object config = invoke(b, bc, "build", new Class<?>[0]);
            Upstream u = (Upstream) construct(SMTP, new Class<?>[] {cls(CONFIG)}, config);
            // u.probe().get(...): learn the smarthost's SIZE/8BITMIME/SMTPUTF8 before the first client's EHLO.
            probe(u);
            return u;
        }

        @Override
        public HoldStore holdStore(Path dataDir) throws IOException {
            // return SqliteHoldStore.open(dataDir);
            return (HoldStore) invoke(null, cls(SQLITE), "open", new Class<?>[] {Path.class}, dataDir);
        }

        private static void probe(Upstream u) {
            try {
                Object f = u.getClass().getMethod("probe").invoke(u);
                if (f instanceof CompletableFuture<?> cf) {
                    cf.get(30, TimeUnit.SECONDS);
                }
                log.info("upstream capabilities: {}", u.capabilities());
            } catch (ReflectiveOperationException | java.util.concurrent.ExecutionException
                     | java.util.concurrent.TimeoutException e) {
                log.warn("could not learn the upstream's capabilities at start ({}); assuming the defaults", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Class<?> cls(String name) throws IOException {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IOException("this build has no " + name.substring(name.lastIndexOf('.') + 1)
                        + " (the upstream client and hold store are merged from their own branch)", e);
            }
        }

        private static Object construct(String name, Class<?>[] types, Object... args) throws IOException {
            try {
                return cls(name).getConstructor(types).newInstance(args);
            } catch (InvocationTargetException e) {
                throw unwrap(e);
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot construct " + name + ": " + e, e);
            }
        }

        private static Object invoke(Object target, Class<?> type, String method, Class<?>[] types, Object... args)
                throws IOException {
            try {
                Method m = type.getMethod(method, types);
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw unwrap(e);
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot call " + type.getSimpleName() + "." + method + ": " + e, e);
            }
        }

        private static IOException unwrap(InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                return io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            return new IOException(c);
        }
    }

    /** The first line of the smarthost password file (kept out of gateway.yaml so that can be shared). */
    static String readPassword(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
