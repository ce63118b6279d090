package jp.mynaguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.rules.PolicyLoader;

/**
 * Decisions per second on a generated 200-rule policy: 199 rules that each look at sender,
 * recipients, hosts or findings and do not match, then one that does, so every decision walks
 * the whole list (the worst case for first-match evaluation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PolicyEngineBenchmark {
    static final int RULES = 200;

    PolicyEngine engine;
    Envelope mail;
    List<Finding> findings;
    List<Unscannable> none = List.of();

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("bench-policy");
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, policy(), StandardCharsets.UTF_8);
        LoadResult r = new PolicyLoader(Clock.systemUTC()).load(file);
        if (!r.ok()) {
            throw new IllegalStateException("benchmark policy invalid: " + r.diagnostics());
        }
        engine = PolicyEngine.of(r.policy().orElseThrow(), Clock.systemUTC());
        mail = Envelope.smtp().sender("tanaka@example.co.jp").recipient("a@partner.example")
                .recipient("b@example.co.jp").size(40_000).attachment("名簿.csv", "text/csv").build();
        // The engine never reads a finding's digits (this policy has no allow-list), so none are given.
        findings = List.of(
                new Finding(FindingType.MY_NUMBER, Level.MEDIUM, "body", List.of("shape:S2"), "placeholder", 1),
                new Finding(FindingType.CORPORATE_NUMBER, Level.LOW, "body", List.of("shape:C1"), "placeholder", 1));
        System.out.println("\n[setup] last rule: " + decide().rule());
    }

    @Benchmark
    public Decision decide() {
        return engine.decide(mail, findings, none);
    }

    static String policy() {
        StringBuilder y = new StringBuilder("version: 1\norganization:\n  internal_domains: [example.co.jp]\nrules:\n");
        for (int i = 0; i < RULES - 1; i++) {
            y.append("  - name: r").append(i).append("\n    when:\n");
            switch (i % 5) {
                case 0 -> y.append("      sender: [user").append(i).append("@example.co.jp]\n");
                case 1 -> y.append("      recipient_domain: [d").append(i).append(".example, \"*.x").append(i).append(".example\"]\n");
                case 2 -> y.append("      channel: http\n      http_host: [\"*.upload").append(i).append(".example\"]\n");
                case 3 -> y.append("      findings: {min_level: HIGH, min_count: ").append(RULES * 10 - i).append("}\n"); // decreasing: no rule shadows a later one
                default -> y.append("      attachment_name: [\"*.r").append(i).append("\"]\n      external_recipients: any\n");
            }
            y.append("    action: block\n");
        }
        y.append("  - name: last\n    when:\n      external_recipients: any\n      findings: {min_level: MEDIUM}\n")
                .append("    action: quarantine\n");
        y.append("default: allow\n");
        return y.toString();
    }
}
