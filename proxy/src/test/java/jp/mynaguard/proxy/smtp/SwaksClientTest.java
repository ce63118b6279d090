package jp.mynaguard.proxy.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** swaks, the SMTP Swiss army knife, as the client: pipelining, STARTTLS, AUTH, and the answers it prints. */
class SwaksClientTest {
    private static final Path SWAKS = Paths.get("/usr/bin/swaks");

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void needSwaks() {
        Assumptions.assumeTrue(Files.isExecutable(SWAKS), "swaks is not installed (run-tests.sh installs it)");
    }

    private static Result swaks(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port",
                Integer.toString(port), "--helo", "client.test", "--timeout", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    @Test
    void pipelinedStartTlsAuthenticatedSubmissionIsRelayed() throws Exception {
        try (TestGateway gw = new TestGateway(b -> {
            try {
                b.tls(TestGateway.tls().server()).relayNetworks(List.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })) {
            Result r = swaks(gw.port(), "--from", "tanaka@example.co.jp", "--to", "someone@partner.example.test",
                    "--tls", "--auth", "PLAIN", "--auth-user", "tanaka", "--auth-password", TestGateway.PASSWORD,
                    "--pipeline", "--header", "Subject: from swaks", "--body", "hello from swaks");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("<~  250 2.0.0 Ok: queued as UPSTREAM1"), r.output());
            assertEquals(1, gw.upstream.messages().size());
            assertTrue(gw.upstream.messages().get(0).text().contains("with ESMTPSA id"));
        }
    }

    @Test
    void myNumberMailIsRefusedAndHeldMailIsAcknowledged() throws Exception {
        try (TestGateway gw = new TestGateway(b -> { })) {
            Result blocked = swaks(gw.port(), "--from", "tanaka@example.co.jp", "--to", "someone@partner.example.test",
                    "--body", "My Number: 0858-1525-1054");
            assertNotEquals(0, blocked.exit());
            assertTrue(blocked.output().matches(
                    "(?s).*<\\*\\* 550 5\\.7\\.1 Message refused: contains personal data \\(My Number\\)\\. Ref [A-Z2-9]{8}.*"),
                    blocked.output());

            Result held = swaks(gw.port(), "--from", "tanaka@example.co.jp", "--to", "x@review.example.test",
                    "--body", "My Number: 0858-1525-1054");
            assertEquals(0, held.exit(), held.output());
            assertTrue(held.output().matches("(?s).*<[-~] +250 2\\.0\\.0 Held for review, ref [A-Z2-9]{8}.*"), held.output());
            assertEquals(1, gw.holds.items.size());
            assertEquals(0, gw.upstream.messages().size());
        }
    }
}
