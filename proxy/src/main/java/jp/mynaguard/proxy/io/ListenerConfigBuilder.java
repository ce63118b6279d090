package jp.mynaguard.proxy.io;

import static jp.mynaguard.proxy.io.Checks.positive;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jp.mynaguard.proxy.smtp.Cidr;
import jp.mynaguard.proxy.smtp.SmtpServerConfig.ClientMapping;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * The settings the SMTP server and the HTTP proxy both have (where they listen, connection caps,
 * idle and decision timeouts, users, client mappings, spooling), with the checks they share. Each
 * protocol's builder extends it with its own settings; {@code B} is that builder, so chained
 * calls keep its type. Read by {@link ListenerConfig}.
 *
 * @param <B> the protocol's builder
 */
public abstract class ListenerConfigBuilder<B extends ListenerConfigBuilder<B>> {
    InetSocketAddress listen;
    int maxConnections;
    int maxConnectionsPerAddress;
    Duration idleTimeout;
    int maxAuthFailures;
    Duration decisionTimeout;
    Duration shutdownGrace;
    SmtpUsers users = SmtpUsers.none();
    // Loopback by default: a fresh install serves the machine it runs on and nobody else without AUTH.
    final List<Cidr> networksWithoutAuth = new ArrayList<>(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1")));
    final List<ClientMapping> clientUsers = new ArrayList<>();
    Path spoolDirectory;

    /**
     * The protocol's defaults (from its Limits class); the listen address is loopback on
     * {@code port}.
     */
    protected ListenerConfigBuilder(int port, int maxConnections, int maxConnectionsPerAddress, Duration idleTimeout,
                                    int maxAuthFailures, Duration decisionTimeout, Duration shutdownGrace) {
        this.listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.idleTimeout = idleTimeout;
        this.maxAuthFailures = maxAuthFailures;
        this.decisionTimeout = decisionTimeout;
        this.shutdownGrace = shutdownGrace;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    public final B listen(InetSocketAddress address) {
        this.listen = Objects.requireNonNull(address, "address");
        return self();
    }

    public final B maxConnections(int n) {
        this.maxConnections = positive(n, "maxConnections");
        return self();
    }

    public final B maxConnectionsPerAddress(int n) {
        this.maxConnectionsPerAddress = positive(n, "maxConnectionsPerAddress");
        return self();
    }

    public final B maxConnections(int total, int perAddress) {
        return maxConnections(total).maxConnectionsPerAddress(perAddress);
    }

    public final B idleTimeout(Duration d) {
        this.idleTimeout = positive(d, "idleTimeout");
        return self();
    }

    public final B maxAuthFailures(int n) {
        this.maxAuthFailures = positive(n, "maxAuthFailures");
        return self();
    }

    public final B decisionTimeout(Duration d) {
        this.decisionTimeout = positive(d, "decisionTimeout");
        return self();
    }

    /** Zero is allowed: stop at once, without waiting for open connections. */
    public final B shutdownGrace(Duration d) {
        this.shutdownGrace = Objects.requireNonNull(d, "shutdownGrace");
        return self();
    }

    public final B users(SmtpUsers users) {
        this.users = Objects.requireNonNull(users, "users");
        return self();
    }

    public final B clientUser(Cidr network, String user) {
        this.clientUsers.add(new ClientMapping(network, user));
        return self();
    }

    public final B spoolDirectory(Path dir) {
        this.spoolDirectory = dir;
        return self();
    }

    /**
     * Replaces the networks that may use the listener without credentials and without a mapped
     * user (an empty list: none). Protected: each protocol names it in its own words (SMTP's relay
     * networks, the proxy's anonymous networks).
     */
    protected final B networksWithoutAuth(List<Cidr> networks) {
        this.networksWithoutAuth.clear();
        this.networksWithoutAuth.addAll(networks);
        return self();
    }
}
