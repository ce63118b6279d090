package jp.mynaguard.proxy.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.netty.util.NetUtil;
import jp.mynaguard.proxy.hold.Role;

/**
 * The console's part of gateway.yaml ({@code console:}) and {@code --console-listen}: where it
 * listens, whether it speaks HTTPS and with which certificate, which roles must use a second
 * factor, and how long sessions last. Immutable; the {@code with*} methods make the next layer.
 *
 * @param enabled         {@code false}: no console listener at all
 * @param https           {@link Https#AUTO}: HTTPS exactly when the listener is reachable beyond loopback
 * @param certificate     the admin's PEM certificate chain, or {@code null} for one issued from the local CA
 * @param key             its PEM private key ({@code null} with {@code certificate})
 * @param totpRequiredFor roles whose users may only log in with a TOTP code (e.g. approvers and admins)
 */
public record ConsoleSettings(boolean enabled, String listenHost, int listenPort, Https https, Path certificate,
                              Path key, Set<Role> totpRequiredFor, Duration sessionIdle, Duration sessionMax) {

    /** Whether the console listener speaks TLS. */
    public enum Https {
        /** TLS when bound beyond loopback (a wildcard or a network address), plain HTTP on loopback. */
        AUTO,
        /** Always TLS, also on loopback. */
        ON,
        /** Never TLS: only behind a reverse proxy that terminates it; logged as a warning beyond loopback. */
        OFF
    }

    public static final ConsoleSettings DEFAULTS = new ConsoleSettings(true, "127.0.0.1", ConsoleLimits.DEFAULT_PORT,
            Https.AUTO, null, null, Set.of(), ConsoleLimits.SESSION_IDLE, ConsoleLimits.SESSION_MAX);

    public ConsoleSettings {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(https, "https");
        if (listenHost.isEmpty()) {
            throw new IllegalArgumentException("no host to listen on");
        }
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + listenPort);
        }
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("console.tls needs both certificate and key, or neither");
        }
        totpRequiredFor = totpRequiredFor.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(totpRequiredFor));
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        Objects.requireNonNull(sessionMax, "sessionMax");
        if (sessionIdle.isNegative() || sessionIdle.isZero() || sessionMax.isNegative() || sessionMax.isZero()) {
            throw new IllegalArgumentException("session times must be positive");
        }
        if (sessionIdle.compareTo(sessionMax) > 0) {
            throw new IllegalArgumentException("session_idle must not be longer than session_max");
        }
    }

    public ConsoleSettings withEnabled(boolean on) {
        return new ConsoleSettings(on, listenHost, listenPort, https, certificate, key, totpRequiredFor, sessionIdle,
                sessionMax);
    }

    public ConsoleSettings withListen(String host, int port) {
        return new ConsoleSettings(enabled, host, port, https, certificate, key, totpRequiredFor, sessionIdle, sessionMax);
    }

    public ConsoleSettings withHttps(Https mode, Path cert, Path privateKey) {
        return new ConsoleSettings(enabled, listenHost, listenPort, mode, cert, privateKey, totpRequiredFor, sessionIdle,
                sessionMax);
    }

    public ConsoleSettings withTotpRequiredFor(Set<Role> roles) {
        return new ConsoleSettings(enabled, listenHost, listenPort, https, certificate, key, roles, sessionIdle,
                sessionMax);
    }

    public ConsoleSettings withSessions(Duration idle, Duration max) {
        return new ConsoleSettings(enabled, listenHost, listenPort, https, certificate, key, totpRequiredFor, idle, max);
    }

    /** Whether the listener uses TLS: always for {@link Https#ON}, beyond loopback for {@link Https#AUTO}. */
    public boolean tls() {
        return https == Https.ON || https == Https.AUTO && !loopbackOnly();
    }

    /**
     * Whether only this machine can reach the listener: {@code localhost} or a loopback address.
     * A host name other than {@code localhost} counts as reachable (it is not resolved here).
     */
    public boolean loopbackOnly() {
        if (listenHost.equalsIgnoreCase("localhost")) {
            return true;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(listenHost);
        if (ip == null) {
            return false;
        }
        try {
            return InetAddress.getByAddress(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
