package jp.mynaguard.proxy.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the packaging without a Docker daemon or a running systemd: the files
 * the Dockerfile copies exist, the container's gateway.yaml is valid and says what the image
 * expects, and {@code systemd-analyze verify} accepts the unit.
 */
class PackagingTest {
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(p.resolve("Dockerfile"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void everythingTheDockerfileCopiesExists() throws Exception {
        String dockerfile = Files.readString(root().resolve("Dockerfile"), StandardCharsets.UTF_8);
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+) \\S+$").matcher(dockerfile);
        List<String> missing = new ArrayList<>();
        int n = 0;
        while (copy.find()) {
            for (String src : copy.group(1).trim().split("\\s+")) {
                n++;
                if (!Files.exists(root().resolve(src))) {
                    missing.add(src);
                }
            }
        }
        assertTrue(n >= 6, "COPY lines were read");
        assertEquals(List.of(), missing);
        assertTrue(dockerfile.contains("\nUSER mynaguard\n"), "runs as the unprivileged user");
        assertTrue(dockerfile.contains("VOLUME [\"/etc/mynaguard\", \"/var/lib/mynaguard\", \"/etc/mynaguard/certs\"]"));
    }

    @Test
    void theContainerConfigurationIsValidAndMatchesTheImage() throws Exception {
        GatewayConfig c = GatewayConfigLoader.load(root().resolve("packaging/docker/gateway.yaml"), GatewayConfig.builder())
                .build();
        assertEquals(Path.of("/var/lib/mynaguard"), c.dataDir());
        assertEquals(Path.of("/etc/mynaguard/policy.yaml"), c.policyFile());
        assertEquals("0.0.0.0", c.smtpListenHost());
        assertEquals(2525, c.smtpListenPort());
        assertEquals("0.0.0.0", c.ops().listenHost());
        assertEquals(8025, c.ops().listenPort());
        String dockerfile = Files.readString(root().resolve("Dockerfile"), StandardCharsets.UTF_8);
        assertTrue(dockerfile.contains("EXPOSE 2525 8025"), "the ports the configuration listens on");
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Process p = new ProcessBuilder(analyze.toString(), "verify", root().resolve("packaging/mynaguard.service").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // verify exits 0 on unknown keys too; it only warns.
        assertEquals("", out.strip(), "no warnings about the unit");
        String unit = Files.readString(root().resolve("packaging/mynaguard.service"), StandardCharsets.UTF_8);
        for (String line : List.of("User=mynaguard", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/mynaguard", "Restart=on-failure")) {
            assertTrue(unit.contains("\n" + line), line);
        }
    }
}
