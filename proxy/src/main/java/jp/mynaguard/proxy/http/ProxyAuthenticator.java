package jp.mynaguard.proxy.http;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpServerConfig.ClientMapping;
import jp.mynaguard.proxy.smtp.SmtpUser;

/**
 * Who is uploading: {@code Proxy-Authorization: Basic} checked against the users file (the same
 * users and hashes as SMTP AUTH), else the user the client's network is mapped to, else an
 * anonymous client from an allowed network. Anything else is asked to authenticate (407).
 *
 * <p>A browser repeats the credentials on every request, and a PBKDF2 check costs a few hundred
 * milliseconds by design; a verified credential is therefore remembered for a few minutes as an
 * HMAC under a key that lives only in this process (never the password), tied to the stored hash
 * so that a password change in the users file ends it at once. Checks run on the worker pool.
 */
final class ProxyAuthenticator {
    /** The outcome: a user, or why the client must authenticate (never a password or a hash). */
    record Result(ProxyUser user, String problem) {
        boolean ok() {
            return user != null;
        }

        static Result of(ProxyUser u) {
            return new Result(u, null);
        }

        static Result challenge(String problem) {
            return new Result(null, problem);
        }
    }

    private record Remembered(String storedHash, byte[] mac, long expiresNanos) {
    }

    private final HttpProxyConfig config;
    private final Executor workers;
    private final long ttlNanos;
    private final byte[] macKey = new byte[32];
    private final Map<String, Remembered> remembered;

    ProxyAuthenticator(HttpProxyConfig config, Executor workers) {
        this(config, workers, HttpProxyLimits.AUTH_CACHE_TTL, HttpProxyLimits.AUTH_CACHE_ENTRIES);
    }

    ProxyAuthenticator(HttpProxyConfig config, Executor workers, Duration ttl, int entries) {
        this.config = config;
        this.workers = workers;
        this.ttlNanos = ttl.toNanos();
        new SecureRandom().nextBytes(macKey);
        this.remembered = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > entries;
            }
        });
    }

    /** Completes on the worker pool when a password must be checked, at once otherwise. */
    CompletableFuture<Result> authenticate(String proxyAuthorization, InetAddress client) {
        if (proxyAuthorization != null) {
            return basic(proxyAuthorization);
        }
        String mapped = ClientMapping.userFor(config.clientUsers(), client);
        if (mapped != null) {
            Optional<SmtpUser> u = config.users().find(mapped);
            return CompletableFuture.completedFuture(Result.of(new ProxyUser(mapped.toLowerCase(java.util.Locale.ROOT),
                    u.map(SmtpUser::primaryAddress).orElse(null))));
        }
        if (!config.requireAuth() && config.isAnonymousClient(client)) {
            return CompletableFuture.completedFuture(Result.of(ProxyUser.ANONYMOUS));
        }
        return CompletableFuture.completedFuture(Result.challenge("proxy authentication required"));
    }

    private CompletableFuture<Result> basic(String header) {
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return CompletableFuture.completedFuture(Result.challenge("only Basic proxy authentication is supported"));
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Result.challenge("malformed credentials"));
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return CompletableFuture.completedFuture(Result.challenge("malformed credentials"));
        }
        String name = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        Optional<SmtpUser> user = config.users().find(name);
        if (user.isEmpty() || SmtpUsersDisabled.is(user.get())) {
            return CompletableFuture.completedFuture(Result.challenge("wrong user name or password"));
        }
        SmtpUser u = user.get();
        byte[] mac = mac(name, password);
        Remembered r = remembered.get(name);
        if (r != null && r.storedHash.equals(u.passwordHash()) && System.nanoTime() - r.expiresNanos < 0
                && MessageDigest.isEqual(r.mac, mac)) {
            return CompletableFuture.completedFuture(Result.of(toProxyUser(u)));
        }
        return CompletableFuture.supplyAsync(() -> {
            if (PasswordHash.verify(password, u.passwordHash())) {
                remembered.put(name, new Remembered(u.passwordHash(), mac, System.nanoTime() + ttlNanos));
                return Result.of(toProxyUser(u));
            }
            return Result.challenge("wrong user name or password");
        }, workers);
    }

    private static ProxyUser toProxyUser(SmtpUser u) {
        return new ProxyUser(u.name().toLowerCase(java.util.Locale.ROOT), u.primaryAddress());
    }

    private byte[] mac(String name, char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(macKey, "HmacSHA256"));
            m.update(name.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            m.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A users-file entry whose hash is {@code !} cannot log in (it exists for client network mappings). */
    private static final class SmtpUsersDisabled {
        static boolean is(SmtpUser u) {
            return jp.mynaguard.proxy.smtp.SmtpUsers.DISABLED.equals(u.passwordHash());
        }
    }
}
