package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import jp.mynaguard.policy.extract.Format;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.Envelope;
import jp.mynaguard.policy.rules.PolicyEngine;
import jp.mynaguard.policy.scan.ScanReport;

/**
 * Scan and decide, for one received message: the blocking, CPU-heavy part, run on a worker. Pure
 * apart from reading the spooled content.
 */
final class MessageInspector {
    /** What the inspection found and decided. */
    record Inspection(MailHeaders headers, ScanReport scan, Decision decision, String senderAddress) {
    }

    private MessageInspector() {
    }

    static Inspection inspect(Submission s, PolicySnapshot policy, Clock clock) throws IOException {
        MailHeaders headers = MailHeaders.read(s.message().content());
        ScanReport scan = policy.scanner().scan(Format.MESSAGE, "", "message.eml", s.message().content());
        String sender = senderAddress(s, headers);
        Envelope.Builder env = Envelope.smtp()
                .sender(sender)
                .authenticatedUser(s.identity().userName())
                .recipients(s.recipients())
                .size(s.clientBytes());
        for (Envelope.Attachment a : headers.attachments()) {
            env.attachment(a.name(), a.contentType());
        }
        Decision decision = PolicyEngine.of(policy.policy(), clock).decide(env.build(), scan.findings(), scan.unscannable());
        return new Inspection(headers, scan, decision, sender);
    }

    /** MAIL FROM, or for the null sender the From address, or the user's own address. */
    static String senderAddress(Submission s, MailHeaders headers) {
        if (!s.mailFrom().isEmpty()) {
            return s.mailFrom();
        }
        List<String> from = headers.from();
        if (from != null && !from.isEmpty()) {
            return from.get(0);
        }
        return s.identity().user() == null ? null : s.identity().user().primaryAddress();
    }

    /** Whether every From address belongs to the sending user (always true without a user to check). */
    static boolean fromOwned(Submission s, MailHeaders headers, SenderCheck check) {
        if (check == SenderCheck.OFF || !s.identity().hasUser()) {
            return true;
        }
        List<String> from = headers.from();
        if (from == null || from.isEmpty()) {
            return false;
        }
        for (String a : from) {
            if (!s.identity().owns(a)) {
                return false;
            }
        }
        return true;
    }
}
