package jp.mynaguard.proxy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.LoadResult;
import jp.mynaguard.policy.rules.Policy;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.rules.PolicyLoader;
import jp.mynaguard.policy.scan.ScanReport;
import jp.mynaguard.proxy.audit.AuditEvent;
import jp.mynaguard.proxy.audit.DecisionRecord;
import jp.mynaguard.proxy.smtp.PolicySnapshot;

/** Real decisions for audit trails in tests: a corpus mail scanned and decided by a real policy, recorded as the gateway does. */
final class DecisionFixture {
    final Policy policy;
    private final PolicySnapshot snapshot;

    DecisionFixture(Path policyFile) {
        LoadResult r = PolicyLoader.withSystemClock().load(policyFile);
        this.policy = r.policy().orElseThrow(() -> new IllegalStateException("test policy invalid: " + r.errors()));
        this.snapshot = PolicySnapshot.of(policy);
    }

    static Path corpus() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            Path c = p.resolve("../shared/corpus");
            if (Files.isRegularFile(c.resolve("labels.json"))) {
                return c.normalize();
            }
            p = p.getParent();
        }
        return null;
    }

    /** The decision record for {@code message} sent by {@code sender} to {@code recipients} at {@code time}. */
    AuditEvent decide(String ref, Instant time, byte[] message, String sender, String user, List<String> recipients,
                      String outcome) {
        ScanReport scan = snapshot.scanner().scan(Format.MESSAGE, "", "message.eml", InputSource.of(message));
        Envelope env = Envelope.smtp().sender(sender).authenticatedUser(user).recipients(recipients)
                .size(message.length).build();
        Decision d = PolicyEngine.of(policy, Clock.fixed(time, ZoneOffset.UTC)).decide(env, scan.findings(),
                scan.unscannable());
        return DecisionRecord.of(ref, time, env, d, scan).field("outcome", outcome).build();
    }
}
