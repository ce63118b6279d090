package jp.mynaguard.proxy.console;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jp.mynaguard.proxy.hold.Role;
import jp.mynaguard.proxy.smtp.PasswordHash;
import jp.mynaguard.proxy.smtp.SmtpUser;
import jp.mynaguard.proxy.smtp.SmtpUsers;

/**
 * A real console server on a loopback port over a {@link MemoryHoldWorkflow}, with a users file of
 * one user per role (password {@link #PASSWORD}, cheap hashes), API tokens issued for each, and
 * TOTP secrets for the approver {@code suzuki} and the admin.
 */
final class TestConsole implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    /** 2026-03-02T09:00:00Z: a fixed time keeps TOTP steps and dates reproducible. */
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final MemoryHoldWorkflow workflow = new MemoryHoldWorkflow(clock);
    final TestPolicy policy = new TestPolicy();
    final Path usersFile;
    final Map<String, String> totp = new LinkedHashMap<>();
    final Map<String, String> tokens = new LinkedHashMap<>();
    final ConsoleServer server;

    /** The users: login, address, roles. */
    record TestUser(String login, String address, Set<Role> roles, boolean withTotp) {
    }

    static final List<TestUser> USERS = List.of(
            new TestUser("tanaka", ConsoleTestData.TANAKA, Set.of(), false),
            new TestUser("suzuki", ConsoleTestData.SUZUKI, Set.of(Role.APPROVER), true),
            new TestUser("sato", ConsoleTestData.SATO, Set.of(Role.APPROVER), false),
            new TestUser("yamada", ConsoleTestData.YAMADA, Set.of(Role.APPROVER), false),
            new TestUser("kato", "kato@example.co.jp", Set.of(Role.APPROVER, Role.REVEAL), false),
            new TestUser("admin", "admin@example.co.jp", Set.of(Role.ADMIN, Role.REVEAL), true),
            new TestUser("audit", "audit@example.co.jp", Set.of(Role.AUDITOR), false));

    TestConsole(Path dir) throws Exception {
        this(dir, b -> { });
    }

    /** Changes the server builder before start (mounted handlers). */
    interface StartHook {
        void apply(ConsoleServer.Builder b);
    }

    TestConsole(Path dir, Consumer<ConsoleConfig.Builder> config) throws Exception {
        this(dir, config, b -> { });
    }

    TestConsole(Path dir, Consumer<ConsoleConfig.Builder> config, StartHook hook) throws Exception {
        this.usersFile = dir.resolve("users");
        List<SmtpUser> users = new ArrayList<>();
        for (TestUser u : USERS) {
            ApiTokens.Issued t = ApiTokens.issue();
            tokens.put(u.login(), t.token());
            String secret = u.withTotp() ? Totp.newSecret() : null;
            if (secret != null) {
                totp.put(u.login(), secret);
            }
            users.add(new SmtpUser(u.login(), PasswordHash.create(PASSWORD.toCharArray(), 1000), List.of(u.address()),
                    u.roles(), secret, List.of(t.stored())));
        }
        SmtpUsers.write(usersFile, users);
        ConsoleConfig.Builder b = ConsoleConfig.builder().listen(new InetSocketAddress("127.0.0.1", 0))
                .zone(ZoneId.of("Asia/Tokyo"));
        config.accept(b);
        ConsoleServer.Builder sb = ConsoleServer.builder(b.build()).users(SmtpUsers.open(usersFile)).workflow(workflow)
                .policy(policy).clock(clock);
        hook.apply(sb);
        this.server = sb.start();
    }

    static TestConsole in(Path dir) throws Exception {
        Files.createDirectories(dir);
        return new TestConsole(dir);
    }

    String url() {
        return server.url();
    }

    /** The current TOTP code of a user with a second factor. */
    String code(String login) {
        return Totp.code(Base32.decode(totp.get(login)), Totp.step(clock.instant()), "HmacSHA1", Totp.DIGITS);
    }

    @Override
    public void close() {
        server.close();
    }

    /** A policy status the test can change (an invalid edit, a reload). */
    static final class TestPolicy implements PolicyStatus.Source {
        volatile PolicyStatus status = new PolicyStatus("abc123def456", "test policy", START, List.of("policy.yaml"),
                null, List.of());
        volatile int reloads;

        @Override
        public PolicyStatus status() {
            return status;
        }

        @Override
        public PolicyStatus reload() {
            reloads++;
            return status;
        }
    }
}
