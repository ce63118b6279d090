package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every scripted dialogue under {@code src/test/resources/smtp/dialogues}, each against its own server. */
class SmtpDialogueTest {
    @TestFactory
    Stream<DynamicTest> dialogues() throws IOException {
        Path dir = TestGateway.resource("dialogues");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            SmtpScript script = SmtpScript.load(f);
            java.util.function.Consumer<SmtpServerConfig.Builder> config = script.configure();
            if (script.external()) {
                Assumptions.assumeTrue(TestGateway.externalAddress() != null, "no non-loopback address to connect from");
                config = config.andThen(b -> b.listen(new java.net.InetSocketAddress("0.0.0.0", 0)));
            }
            try (TestGateway gw = new TestGateway(config, script.upstream(), TestGateway.policyFile())) {
                gw.holds.failing = script.holdFails();
                script.run(gw);
            }
        }));
    }
}
