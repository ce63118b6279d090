package jp.mynaguard.proxy.smtp.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Postfix's {@code smtp-sink} as a real smarthost for tests, capturing every transaction to a
 * file in {@link #dir} ({@code -d}). As root it must drop privileges ({@code -u nobody}), so the
 * capture directory is made world-writable. Public for the gateway-level tests of other packages.
 */
public final class SmtpSink implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/smtp-sink");

    public final Path dir;
    public final int port;
    private final Process process;

    private SmtpSink(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static SmtpSink start(Path dir, String... flags) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "nobody"));
        }
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-d", dir + "/%Y%m%d%H%M%S.", "127.0.0.1:" + port, "10"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        SmtpSink sink = new SmtpSink(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                // Say goodbye properly so the probe is not a session in smtp-sink's eyes for long.
                probe.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                return sink;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("smtp-sink exited with " + p.exitValue());
                }
                Thread.sleep(50);
            }
        }
        sink.close();
        throw new IllegalStateException("smtp-sink did not start listening");
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The capture files, once {@code count} of them are complete (smtp-sink ends each with an empty line). */
    public List<String> captures(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> texts = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    texts.add(Files.readString(f, StandardCharsets.UTF_8));
                }
            }
            if (texts.size() >= count && texts.stream().allMatch(t -> t.endsWith("\n\n"))
                    || System.nanoTime() > deadline) {
                return texts;
            }
            Thread.sleep(50);
        }
    }

    /** The message part of a capture: after smtp-sink's own headers, without the empty line it appends. */
    static String message(String capture) {
        int received = capture.indexOf("\nReceived: ");
        int end = received;
        for (int i = 0; i < 3; i++) {
            end = capture.indexOf('\n', end + 1);
        }
        return capture.substring(end + 1, capture.length() - 1);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
