package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;
import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.LocationMask;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.extract.Unscannable;
import jp.mynaguard.policy.rules.Action;
import jp.mynaguard.policy.rules.ApprovalSpec;
import jp.mynaguard.policy.rules.Decision;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.policy.rules.Organization;
import jp.mynaguard.proxy.hold.HoldDetails;
import jp.mynaguard.proxy.hold.HoldLimits;
import jp.mynaguard.proxy.hold.HoldWorkflow;

/**
 * What the hold store records about a message for the workflow and the console, built when it
 * is held: the masked subject, attachment names and decoded sizes, findings as the console
 * shows them (masked value and a masked context such as {@code 個人番号: ****-****-****}),
 * the eligible approvers and backups, the external recipients and the approval's deadlines.
 * Nothing here holds a digit of a number: masks are applied to everything taken from the
 * message.
 */
final class HeldMessageDetails {
    /** Header bytes are UTF-8 where they are not ASCII (RFC 6532, SMTPUTF8 clients send raw UTF-8 subjects). */
    private static final Session SESSION = Session.getInstance(utf8Headers());

    private HeldMessageDetails() {
    }

    private static Properties utf8Headers() {
        Properties p = new Properties();
        p.setProperty("mail.mime.allowutf8", "true");
        return p;
    }

    /**
     * @param sender         the sender's address (never an approver)
     * @param recipients     the envelope recipients (never approvers)
     * @param sendersOwn     whether an address belongs to the sending user (any of their addresses)
     * @param senderNotified whether the session sends the sender a notice itself
     */
    static HoldDetails of(Decision d, MessageInspector.Inspection in, String sender, List<String> recipients,
                          Predicate<String> sendersOwn, Organization org, InputSource content, Instant now,
                          boolean senderNotified) throws IOException {
        Parsed parsed = parse(content);
        List<String> approvers = List.of();
        List<String> backups = List.of();
        Instant remindAt = null;
        Instant escalateAt = null;
        Instant expiresAt = null;
        ApprovalSpec.ExpiryOutcome onExpiry = ApprovalSpec.ExpiryOutcome.REJECT;
        ApprovalSpec spec = d.approval();
        if (d.action() == Action.APPROVE && spec != null) {
            Set<String> excluded = excluded(sender, recipients);
            approvers = eligible(d.approvers(), excluded, sendersOwn);
            backups = eligible(d.backupApprovers(), excluded, sendersOwn);
            backups = backups.stream().filter(b -> !d.approvers().contains(b)).toList();
            if (approvers.isEmpty()) {
                // Like the policy's resolver: with no primary left, the backups are asked at once.
                approvers = backups;
                backups = List.of();
            }
            expiresAt = now.plus(spec.expireAfter());
            if (!spec.remindBefore().isZero() && now.isBefore(expiresAt.minus(spec.remindBefore()))) {
                remindAt = expiresAt.minus(spec.remindBefore());
            }
            if (!backups.isEmpty()) {
                // The backups are asked when the reminder goes out, or half-way without a reminder.
                escalateAt = remindAt != null ? remindAt : now.plus(Duration.ofMillis(spec.expireAfter().toMillis() / 2));
            }
            onExpiry = spec.onExpiry();
        }
        return new HoldDetails(parsed.subject(), parsed.attachments(), findings(in), approvers, backups,
                external(recipients, org), remindAt, escalateAt, expiresAt, onExpiry, senderNotified,
                noApproverFallback(d));
    }

    /** The policy turned an approval into its {@code on_no_approver} action. */
    static boolean noApproverFallback(Decision d) {
        return d.rule() != null && d.rule().action().action() == Action.APPROVE && d.action() != Action.APPROVE;
    }

    private static Set<String> excluded(String sender, List<String> recipients) {
        Set<String> out = new LinkedHashSet<>();
        if (sender != null) {
            out.add(sender.toLowerCase(Locale.ROOT));
        }
        recipients.forEach(r -> out.add(r.toLowerCase(Locale.ROOT)));
        return out;
    }

    /**
     * Separation of duties, checked again here without regard to case and with every address of
     * the sending user: never the sender, never a recipient.
     */
    private static List<String> eligible(List<String> candidates, Set<String> excluded, Predicate<String> sendersOwn) {
        return candidates.stream().map(a -> a.toLowerCase(Locale.ROOT))
                .filter(a -> !excluded.contains(a) && !sendersOwn.test(a)).distinct().toList();
    }

    private static List<String> external(List<String> recipients, Organization org) {
        List<String> out = new ArrayList<>();
        for (String r : recipients) {
            int at = r.lastIndexOf('@');
            String domain = at < 0 ? "" : r.substring(at + 1).toLowerCase(Locale.ROOT);
            if (!org.isInternalDomain(domain)) {
                out.add(r);
            }
        }
        return out;
    }

    static List<HoldWorkflow.Finding> findings(MessageInspector.Inspection in) {
        List<HoldWorkflow.Finding> out = new ArrayList<>();
        List<Finding> found = in.scan().findings();
        List<Unscannable> unscannable = in.scan().unscannable();
        int total = found.size() + unscannable.size();
        for (Finding f : found) {
            if (out.size() == HoldLimits.MAX_FINDINGS - 1 && total > HoldLimits.MAX_FINDINGS) {
                break;
            }
            String location = NumberGuard.redact(f.location().isEmpty() ? "message" : f.location());
            out.add(new HoldWorkflow.Finding(f.type().name(), f.level().name(), location, f.masked(), context(f)));
        }
        for (Unscannable u : unscannable) {
            if (out.size() == HoldLimits.MAX_FINDINGS - 1 && total > HoldLimits.MAX_FINDINGS) {
                break;
            }
            String location = NumberGuard.redact(u.location().isEmpty() ? "message" : u.location());
            out.add(new HoldWorkflow.Finding("UNSCANNABLE", "-", location, "", u.reason().label()));
        }
        if (total > out.size()) {
            out.add(new HoldWorkflow.Finding("MORE", "-", "", "", "… " + (total - out.size()) + " more"));
        }
        return out;
    }

    /**
     * The masked context: the keyword or column header the detector matched next to the masked
     * value, e.g. {@code 個人番号: ****-****-****}. Only the detector's own keyword (from the
     * policy's keyword list) is taken, never text around the number.
     */
    static String context(Finding f) {
        for (String reason : f.reasons()) {
            if (reason.startsWith("keyword:") || reason.startsWith("header:")) {
                String word = LocationMask.mask(NumberGuard.redact(reason.substring(reason.indexOf(':') + 1)));
                return word + ": " + f.masked();
            }
        }
        return f.masked();
    }

    record Parsed(String subject, List<HoldWorkflow.Attachment> attachments) {
    }

    static Parsed parse(InputSource content) throws IOException {
        try (InputStream in = content.inMemory() ? new SharedByteArrayInputStream(content.bytesOrNull())
                : new SharedFileInputStream(content.file().toFile())) {
            MimeMessage m = new MimeMessage(SESSION, in);
            String subject = "";
            try {
                String raw = m.getHeader("Subject", null);
                subject = raw == null ? "" : MimeUtility.decodeText(MimeUtility.unfold(raw));
            } catch (MessagingException | IOException | RuntimeException e) {
                subject = "";
            }
            List<HoldWorkflow.Attachment> attachments = new ArrayList<>();
            try {
                walk(m, attachments, 0, new int[] {0});
            } catch (MessagingException | IOException | RuntimeException e) {
                // A broken structure: the scan reported it; the attachments found so far are listed.
            }
            if (attachments.size() > HoldLimits.MAX_ATTACHMENTS) {
                int more = attachments.size() - (HoldLimits.MAX_ATTACHMENTS - 1);
                attachments = new ArrayList<>(attachments.subList(0, HoldLimits.MAX_ATTACHMENTS - 1));
                attachments.add(new HoldWorkflow.Attachment("… " + more + " more", 0));
            }
            return new Parsed(LocationMask.mask(NumberGuard.redact(subject)), attachments);
        } catch (MessagingException e) {
            // Headers beyond repair: the scan said what it could; the console shows no subject.
            return new Parsed("", List.of());
        }
    }

    private static void walk(Part part, List<HoldWorkflow.Attachment> out, int depth, int[] parts)
            throws MessagingException, IOException {
        if (depth > HoldLimits.MAX_MIME_DEPTH || ++parts[0] > HoldLimits.MAX_MIME_PARTS) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart child = mp.getBodyPart(i);
                    walk(child, out, depth + 1, parts);
                }
            }
            return;
        }
        String name = part.getFileName();
        if (name != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            String decoded = name == null ? "" : MimeUtility.decodeText(name);
            out.add(new HoldWorkflow.Attachment(LocationMask.mask(NumberGuard.redact(decoded)), decodedSize(part)));
        }
    }

    /** The attachment's size as the recipient gets it (after base64 / quoted-printable). */
    private static long decodedSize(Part part) throws MessagingException {
        try (InputStream in = part.getInputStream()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            return Math.max(0, part.getSize());
        }
    }
}
