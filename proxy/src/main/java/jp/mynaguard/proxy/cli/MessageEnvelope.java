package jp.mynaguard.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jp.mynaguard.policy.rules.Envelope;

/**
 * Builds the {@link Envelope} that {@code mynaguard policy test} evaluates: from the options where
 * given, else from the message's headers (From, To, Cc, Bcc) or the request line and Host header
 * of a raw HTTP request. Attachment names and types come from the MIME structure.
 */
final class MessageEnvelope {
    /** How deep nested multiparts are walked for attachment names. */
    private static final int MAX_DEPTH = 10;
    /** Bytes of an HTTP request read to find its head and the file parts of a form. */
    private static final int MAX_HTTP_BYTES = 8 * 1024 * 1024;
    private static final Pattern FILENAME = Pattern.compile("filename\\*?=\"?([^\";\\r\\n]*)\"?",
            Pattern.CASE_INSENSITIVE);

    private MessageEnvelope() {
    }

    /** Envelope options given on the command line; {@code null} / empty when not given. */
    record Options(String from, List<String> to, String user) {
    }

    static Envelope of(Path file, Options options) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".http")) {
            return http(file, options);
        }
        return mail(file, options);
    }

    private static Envelope mail(Path file, Options options) throws IOException {
        Envelope.Builder b = Envelope.smtp().authenticatedUser(options.user()).size(Files.size(file));
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            b.sender(options.from() != null ? options.from() : firstAddress(message, "From"));
            if (!options.to().isEmpty()) {
                b.recipients(options.to());
            } else {
                for (String header : new String[] {"To", "Cc", "Bcc"}) {
                    b.recipients(addresses(message, header));
                }
            }
            attachments(message, b, 0);
        } catch (MessagingException e) {
            throw new IOException("not a readable mail message: " + e.getMessage(), e);
        }
        return b.build();
    }

    private static String firstAddress(Message message, String header) throws MessagingException {
        List<String> all = addresses(message, header);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<String> addresses(Message message, String header) throws MessagingException {
        List<String> result = new ArrayList<>();
        String[] values = message.getHeader(header);
        if (values == null) {
            return result;
        }
        for (String v : values) {
            // Lenient: real mail has malformed headers, and a test run should still show a decision.
            for (Address a : InternetAddress.parseHeader(v, false)) {
                if (a instanceof InternetAddress ia && ia.getAddress() != null) {
                    result.add(ia.getAddress());
                }
            }
        }
        return result;
    }

    private static void attachments(Part part, Envelope.Builder b, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                attachments(child, b, depth + 1);
            }
            return;
        }
        String fileName = part.getFileName();
        if (fileName != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            b.attachment(fileName == null ? "" : MimeUtility.decodeText(fileName), part.getContentType());
        }
    }

    private static Envelope http(Path file, Options options) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_HTTP_BYTES);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        int bodyStart = headEnd < 0 ? -1 : headEnd + 4;
        if (headEnd < 0) {
            headEnd = text.indexOf("\n\n");
            bodyStart = headEnd < 0 ? text.length() : headEnd + 2;
        }
        String[] head = text.substring(0, headEnd < 0 ? text.length() : headEnd).split("\r?\n");
        String[] requestLine = head.length == 0 ? new String[0] : head[0].trim().split("\\s+");
        if (requestLine.length < 2) {
            throw new IOException("not an HTTP request: the first line must be like 'POST /upload HTTP/1.1'");
        }
        String host = null;
        String path = requestLine[1];
        try {
            URI uri = new URI(requestLine[1]);
            if (uri.getHost() != null) {
                host = uri.getHost();
            }
            path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        } catch (URISyntaxException e) {
            int q = path.indexOf('?');
            path = q < 0 ? path : path.substring(0, q);
        }
        for (int i = 1; i < head.length && host == null; i++) {
            if (head[i].regionMatches(true, 0, "Host:", 0, 5)) {
                host = head[i].substring(5).trim().replaceFirst(":\\d+$", "");
            }
        }
        Envelope.Builder b = Envelope.http().httpMethod(requestLine[0]).httpPath(path).httpHost(host)
                .authenticatedUser(options.user()).sender(options.from())
                .size(Math.max(0, Files.size(file) - bodyStart));
        formFiles(text.substring(Math.min(bodyStart, text.length())), b);
        return b.build();
    }

    /** File parts of a multipart form: a filename in Content-Disposition and the part's Content-Type. */
    private static void formFiles(String body, Envelope.Builder b) {
        String[] lines = body.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.regionMatches(true, 0, "Content-Disposition:", 0, 20)) {
                continue;
            }
            Matcher m = FILENAME.matcher(line);
            if (!m.find()) {
                continue;
            }
            String type = "";
            for (int j = i + 1; j < lines.length && !lines[j].isEmpty(); j++) {
                if (lines[j].regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    type = lines[j].substring(13).trim();
                }
            }
            b.attachment(m.group(1), type);
        }
    }
}
