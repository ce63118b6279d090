package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.Envelope;

/**
 * What the gateway needs from a message's structure besides the scan: the From addresses (for
 * the sender check) and the attachments' names and types (for the policy's attachment
 * conditions). Parsed with a shared input stream, so a spooled message is not read onto the heap;
 * the walk is bounded in depth and parts (the scanner reports what it could not read).
 *
 * @param from        addresses in From:, empty when there is none; {@code null} when it cannot be parsed
 * @param attachments named or attached parts
 */
record MailHeaders(List<String> from, List<Envelope.Attachment> attachments) {
    private static final int MAX_DEPTH = 10;
    private static final int MAX_PARTS = 1000;
    private static final Session SESSION = Session.getInstance(new Properties());

    static MailHeaders read(InputSource content) throws IOException {
        try (InputStream in = content.openShared()) {
            MimeMessage m = new MimeMessage(SESSION, in);
            List<String> from = from(m);
            List<Envelope.Attachment> attachments = new ArrayList<>();
            try {
                walk(m, attachments, 0, new int[] {0});
            } catch (MessagingException | IOException | RuntimeException e) {
                // Broken structure: the scanner reports it as unscannable; the names found so far still count.
            }
            return new MailHeaders(from, List.copyOf(attachments));
        } catch (MessagingException e) {
            throw new IOException("cannot parse the message", e);
        }
    }

    private static List<String> from(MimeMessage m) throws MessagingException {
        String[] values = m.getHeader("From");
        List<String> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        try {
            for (String v : values) {
                for (Address a : InternetAddress.parseHeader(v, false)) {
                    if (a instanceof InternetAddress ia && ia.getAddress() != null && !ia.isGroup()) {
                        out.add(ia.getAddress());
                    } else {
                        return null;
                    }
                }
            }
        } catch (AddressException e) {
            return null;
        }
        return out;
    }

    private static void walk(Part part, List<Envelope.Attachment> out, int depth, int[] parts)
            throws MessagingException, IOException {
        if (depth > MAX_DEPTH || ++parts[0] > MAX_PARTS) {
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
            out.add(new Envelope.Attachment(name == null ? "" : MimeUtility.decodeText(name), part.getContentType()));
        }
    }
}
