package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.ApprovalSpec;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.policy.rules.SideEffects;

/**
 * {@code policy test --json}: one JSON object for scripts. {@code decision} is what the gateway
 * carries out; {@code first_match} differs from it only when an audit rule matched first.
 * Findings are masked; no digit of a number is ever written.
 */
final class DecisionJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private DecisionJson() {
    }

    static void write(PolicyTestResult r, Writer w) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeObjectFieldStart("policy");
            g.writeStringField("file", r.policyFile().toString());
            g.writeStringField("name", r.policy().name());
            g.writeStringField("version", r.policy().version());
            g.writeEndObject();
            g.writeStringField("message", r.message().toString());
            envelope(g, r.envelope());
            findings(g, r);
            g.writeFieldName("decision");
            decision(g, r.decision().enforced());
            g.writeFieldName("first_match");
            decision(g, r.decision());
            g.writeArrayFieldStart("not_matched");
            for (Decision.RuleOutcome m : r.decision().enforced().whyOthersDidNotMatch()) {
                g.writeStartObject();
                g.writeStringField("rule", m.rule());
                g.writeNumberField("line", m.location().line());
                g.writeStringField("reason", m.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        w.write('\n');
    }

    private static void envelope(JsonGenerator g, Envelope e) throws IOException {
        g.writeObjectFieldStart("envelope");
        g.writeStringField("channel", e.channel().label());
        g.writeStringField("sender", NumberGuard.redact(e.sender()));
        g.writeStringField("user", NumberGuard.redact(e.authenticatedUser()));
        g.writeArrayFieldStart("recipients");
        for (String a : e.recipients()) {
            g.writeString(NumberGuard.redact(a));
        }
        g.writeEndArray();
        g.writeStringField("http_host", e.httpHost());
        g.writeStringField("http_method", e.httpMethod());
        g.writeStringField("http_path", NumberGuard.redact(e.httpPath()));
        g.writeNumberField("size", e.size());
        g.writeArrayFieldStart("attachments");
        for (Envelope.Attachment a : e.attachments()) {
            g.writeStartObject();
            g.writeStringField("name", NumberGuard.redact(a.name()));
            g.writeStringField("type", a.contentType());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void findings(JsonGenerator g, PolicyTestResult r) throws IOException {
        g.writeArrayFieldStart("findings");
        for (Finding f : r.scan().findings()) {
            g.writeStartObject();
            g.writeStringField("type", f.type().name());
            g.writeStringField("confidence", f.level().name());
            g.writeStringField("location", NumberGuard.redact(f.location()));
            g.writeStringField("masked", f.masked());
            g.writeNumberField("occurrences", f.occurrences());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unscannable");
        for (Unscannable u : r.scan().unscannable()) {
            g.writeStartObject();
            g.writeStringField("location", NumberGuard.redact(u.location()));
            g.writeStringField("reason", u.reason().label());
            g.writeStringField("detail", NumberGuard.redact(u.detail()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void decision(JsonGenerator g, Decision d) throws IOException {
        g.writeStartObject();
        g.writeStringField("action", d.action().label());
        g.writeStringField("rule", d.ruleName());
        g.writeStringField("mode", d.mode().label());
        if (d.rule() != null) {
            g.writeNumberField("line", d.rule().location().line());
        }
        g.writeStringField("note", d.note());
        g.writeArrayFieldStart("approvers");
        for (String a : d.approvers()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("backup_approvers");
        for (String a : d.backupApprovers()) {
            g.writeString(a);
        }
        g.writeEndArray();
        ApprovalSpec a = d.approval();
        if (a != null) {
            g.writeObjectFieldStart("approval");
            g.writeNumberField("expire_after_seconds", a.expireAfter().getSeconds());
            g.writeNumberField("remind_before_seconds", a.remindBefore().getSeconds());
            g.writeStringField("on_expiry", a.onExpiry().label());
            g.writeEndObject();
        }
        if (d.holdDelay() != null) {
            g.writeNumberField("hold_seconds", d.holdDelay().getSeconds());
        }
        if (d.reason() != null) {
            g.writeObjectFieldStart("reason");
            g.writeStringField("ja", d.reason().ja());
            g.writeStringField("en", d.reason().en());
            g.writeEndObject();
        }
        SideEffects e = d.effects();
        g.writeArrayFieldStart("notify");
        for (SideEffects.NotifyTarget t : e.notifyTargets()) {
            g.writeString(t.label());
        }
        g.writeEndArray();
        g.writeBooleanField("convert_to_bcc", d.convertToBcc());
        g.writeObjectFieldStart("add_headers");
        for (Map.Entry<String, String> h : e.addHeaders().entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeEndObject();
        g.writeStringField("subject_tag", e.subjectTag());
        g.writeStringField("policy_version", d.policyVersion());
        g.writeEndObject();
    }
}
