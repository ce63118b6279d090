package jp.mynaguard.policy.extract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mail.mime.*} system properties the extractor relies on, applied exactly once.
 *
 * <p>jakarta.mail and Angus read these properties into {@code static final} fields the first time
 * {@code MimeUtility}, {@code MimeBodyPart} or {@code LineInputStream} is loaded, so they must be
 * set before any MIME class is touched. {@link #ensureApplied()} is called by every way into
 * MIME parsing here (the text format registry, the message extractor, the form-data parser);
 * the JVM runs a class initialiser once, so there is no race. Code outside this package that
 * touches jakarta.mail first (the SMTP side) should call it at startup too.
 *
 * <p>Every value chooses leniency: the gateway must read what real mail clients send (and what an
 * insider crafts), never reject it. Where leniency hides a structural problem (a missing end
 * boundary), the extractor checks for it itself and records the part as {@code malformed}.
 */
public final class MailProperties {
    private static final Map<String, String> PROPERTIES;

    static {
        Map<String, String> p = new LinkedHashMap<>();
        // Encoded-words glued to other text ("No.=?ISO-2022-JP?B?...?=") are common from Japanese
        // mailers; strict decoding would leave them encoded and hide the Subject from the scan.
        p.put("mail.mime.decodetext.strict", "false");
        // Outlook and Thunderbird put RFC 2047 encoded-words inside quoted file names, which RFC
        // 2231 does not allow; without this getFileName() returns "=?UTF-8?B?...?=".
        p.put("mail.mime.decodefilename", "true");
        // RFC 2231 file names (filename*=UTF-8''%E5%90...) incl. continuations; lenient so a bad
        // charset or percent escape leaves the raw value instead of throwing.
        p.put("mail.mime.decodeparameters", "true");
        p.put("mail.mime.decodeparameters.strict", "false");
        // Unquoted spaces and specials in parameters, broken dispositions: still parse them.
        p.put("mail.mime.parameters.strict", "false");
        p.put("mail.mime.contentdisposition.strict", "false");
        p.put("mail.mime.address.strict", "false");
        // Apple Mail sends unquoted file names with spaces; Windows clients send full paths.
        p.put("mail.mime.applefilenames", "true");
        p.put("mail.mime.windowsfilenames", "true");
        // Raw UTF-8 in headers (SMTPUTF8, RFC 6532): decoded as UTF-8, falling back to bytes.
        p.put("mail.mime.allowutf8", "true");
        // A broken base64 or uuencoded body is still decoded as far as it goes, not dropped.
        p.put("mail.mime.base64.ignoreerrors", "true");
        p.put("mail.mime.uudecode.ignoreerrors", "true");
        p.put("mail.mime.uudecode.ignoremissingbeginend", "true");
        // An unknown Content-Transfer-Encoding is read as raw bytes instead of failing the part.
        p.put("mail.mime.ignoreunknownencoding", "true");
        // Multipart: parse what is there. A missing end boundary is detected through
        // MimeMultipart.isComplete() and a missing boundary parameter through the Content-Type,
        // and both are recorded as malformed (parser differential: the recipient may see more).
        p.put("mail.mime.multipart.ignoremissingendboundary", "true");
        p.put("mail.mime.multipart.ignoremissingboundaryparameter", "true");
        p.put("mail.mime.multipart.ignoreexistingboundaryparameter", "false");
        p.put("mail.mime.multipart.allowempty", "true");
        // Multipart entities never carry a transfer encoding (RFC 2045 6.4); ignore a bogus one.
        p.put("mail.mime.ignoremultipartencoding", "true");
        // The extractor walks parts itself; cached multiparts would only keep memory alive.
        p.put("mail.mime.cachemultipart", "false");
        PROPERTIES = Collections.unmodifiableMap(p);
        for (Map.Entry<String, String> e : PROPERTIES.entrySet()) {
            System.setProperty(e.getKey(), e.getValue());
        }
    }

    private MailProperties() {
    }

    /** Makes sure the properties are set; cheap after the first call (class initialisation). */
    public static void ensureApplied() {
        // the static initialiser did the work
    }

    /** The properties and values applied, for diagnostics. */
    public static Map<String, String> applied() {
        return PROPERTIES;
    }
}
