package jp.mynaguard.proxy.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jp.mynaguard.proxy.smtp.Cidr;
import jp.mynaguard.proxy.smtp.SmtpServerConfig.ClientMapping;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * The immutable part of a listener's configuration that the SMTP server and the HTTP proxy share,
 * built by a {@link ListenerConfigBuilder}; each protocol's config adds its own settings.
 */
public abstract class ListenerConfig {
    private final InetSocketAddress listen;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Duration idleTimeout;
    private final int maxAuthFailures;
    private final Duration decisionTimeout;
    private final Duration shutdownGrace;
    private final SmtpUsers users;
    private final List<Cidr> networksWithoutAuth;
    private final List<ClientMapping> clientUsers;
    private final Path spoolDirectory;

    protected ListenerConfig(ListenerConfigBuilder<?> b) {
        this.listen = b.listen;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.idleTimeout = b.idleTimeout;
        this.maxAuthFailures = b.maxAuthFailures;
        this.decisionTimeout = b.decisionTimeout;
        this.shutdownGrace = b.shutdownGrace;
        this.users = b.users;
        this.networksWithoutAuth = List.copyOf(b.networksWithoutAuth);
        this.clientUsers = List.copyOf(b.clientUsers);
        this.spoolDirectory = b.spoolDirectory;
    }

    public InetSocketAddress listen() {
        return listen;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Failed authentication attempts per connection before it is closed. */
    public int maxAuthFailures() {
        return maxAuthFailures;
    }

    /** How long scanning and deciding may take before the client is told to try again. */
    public Duration decisionTimeout() {
        return decisionTimeout;
    }

    /** How long open connections get to finish when the listener stops. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public SmtpUsers users() {
        return users;
    }

    public List<ClientMapping> clientUsers() {
        return clientUsers;
    }

    /** The user a client address is mapped to, or {@code null}; the first matching mapping wins. */
    public String mappedUser(InetAddress address) {
        return ClientMapping.userFor(clientUsers, address);
    }

    /** Where bodies that do not stay in memory are spooled; {@code null} = the system temp directory. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /** The networks that need no credentials and no mapping; each protocol names them in its own words. */
    protected final List<Cidr> networksWithoutAuth() {
        return networksWithoutAuth;
    }

    /** Whether {@code address} is in one of {@link #networksWithoutAuth()}. */
    protected final boolean needsNoAuth(InetAddress address) {
        for (Cidr c : networksWithoutAuth) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
