package jp.mynaguard.policy.extract;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the {@link Format} of a file from its content type, its name and its first bytes, and
 * holds the {@link FormatExtractor} for each format. Immutable once built.
 */
public final class FormatRegistry {
    private static final int SNIFF_BYTES = 512;

    private final Map<Format, FormatExtractor> extractors;

    private FormatRegistry(Map<Format, FormatExtractor> extractors) {
        this.extractors = new EnumMap<>(extractors);
    }

    /** An empty registry to fill, e.g. with a subset of formats or a test double. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every format this build can read. */
    public static FormatRegistry defaults() {
        Builder b = new Builder();
        TextFormats.register(b);
        DocumentFormats.register(b);
        return b.build();
    }

    public FormatExtractor extractor(Format format) {
        FormatExtractor e = extractors.get(format);
        if (e == null) {
            e = extractors.get(Format.BINARY);
        }
        if (e == null) {
            throw new IllegalStateException("no extractor for " + format);
        }
        return e;
    }

    /**
     * The format of a file. The content's first bytes win over a misleading name or type for the
     * containers that matter (zip, gzip, PDF, OLE2), so renaming {@code roster.xlsx} to
     * {@code photo.jpg} does not hide it.
     */
    public Format detect(String name, String contentType, InputSource source) throws IOException {
        byte[] head = source.head(SNIFF_BYTES);
        Format byName = byName(name);
        Format byType = byContentType(contentType);
        Format byMagic = byMagic(head);
        if (byMagic != null) {
            if (byMagic == Format.ZIP && (isZipBased(byName) || isZipBased(byType))) {
                return isZipBased(byName) ? byName : byType;
            }
            if (byMagic == Format.OLE2 && (isOle2Based(byName) || isOle2Based(byType))) {
                return isOle2Based(byName) ? byName : byType;
            }
            return byMagic;
        }
        if (byType != null && byType != Format.TEXT && byType != Format.BINARY) {
            return byType;
        }
        if (byName != null) {
            return byName;
        }
        if (byType != null) {
            return byType;
        }
        return looksLikeMessage(head) ? Format.MESSAGE : Format.BINARY;
    }

    private static boolean isZipBased(Format f) {
        return f == Format.XLSX || f == Format.DOCX || f == Format.PPTX || f == Format.ODF || f == Format.ZIP;
    }

    private static boolean isOle2Based(Format f) {
        return f == Format.XLS || f == Format.DOC || f == Format.XLSX || f == Format.DOCX || f == Format.PPTX;
    }

    static Format byMagic(byte[] h) {
        if (h.length >= 4 && h[0] == 'P' && h[1] == 'K' && (h[2] == 3 || h[2] == 5 || h[2] == 7)) {
            return Format.ZIP;
        }
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return Format.GZIP;
        }
        if (h.length >= 5 && h[0] == '%' && h[1] == 'P' && h[2] == 'D' && h[3] == 'F' && h[4] == '-') {
            return Format.PDF;
        }
        if (h.length >= 8 && (h[0] & 0xff) == 0xd0 && (h[1] & 0xff) == 0xcf && (h[2] & 0xff) == 0x11
                && (h[3] & 0xff) == 0xe0) {
            return Format.OLE2;
        }
        if (h.length >= 5 && h[0] == '{' && h[1] == '\\' && h[2] == 'r' && h[3] == 't' && h[4] == 'f') {
            return Format.RTF;
        }
        return null;
    }

    static Format byName(String name) {
        if (name == null) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        switch (name.substring(dot + 1).toLowerCase(Locale.ROOT)) {
            case "eml": case "msg822": return Format.MESSAGE;
            case "http": return Format.HTTP_REQUEST;
            case "htm": case "html": case "xhtml": return Format.HTML;
            case "txt": case "text": case "log": case "md": return Format.TEXT;
            case "csv": return Format.CSV;
            case "tsv": case "tab": return Format.TSV;
            case "json": return Format.JSON;
            case "xml": return Format.XML;
            case "xlsx": case "xlsm": return Format.XLSX;
            case "xls": return Format.XLS;
            case "docx": case "docm": return Format.DOCX;
            case "doc": return Format.DOC;
            case "pptx": case "pptm": return Format.PPTX;
            case "odt": case "ods": case "odp": return Format.ODF;
            case "rtf": return Format.RTF;
            case "pdf": return Format.PDF;
            case "zip": return Format.ZIP;
            case "gz": case "gzip": case "tgz": return Format.GZIP;
            default: return null;
        }
    }

    static Format byContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        switch (t) {
            case "message/rfc822": case "message/global": return Format.MESSAGE;
            case "text/html": case "application/xhtml+xml": return Format.HTML;
            case "text/csv": case "text/comma-separated-values": return Format.CSV;
            case "text/tab-separated-values": return Format.TSV;
            case "application/json": case "text/json": return Format.JSON;
            case "application/xml": case "text/xml": return Format.XML;
            case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": return Format.XLSX;
            case "application/vnd.ms-excel": return Format.XLS;
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": return Format.DOCX;
            case "application/msword": return Format.DOC;
            case "application/vnd.openxmlformats-officedocument.presentationml.presentation": return Format.PPTX;
            case "application/vnd.oasis.opendocument.text":
            case "application/vnd.oasis.opendocument.spreadsheet":
            case "application/vnd.oasis.opendocument.presentation": return Format.ODF;
            case "application/rtf": case "text/rtf": return Format.RTF;
            case "application/pdf": return Format.PDF;
            case "application/zip": case "application/x-zip-compressed": return Format.ZIP;
            case "application/gzip": case "application/x-gzip": return Format.GZIP;
            case "application/octet-stream": return Format.BINARY;
            default:
                if (t.endsWith("+json")) {
                    return Format.JSON;
                }
                if (t.endsWith("+xml")) {
                    return Format.XML;
                }
                return t.startsWith("text/") ? Format.TEXT : null;
        }
    }

    /** An RFC 5322 header line ("Name: value") at the very start. */
    private static boolean looksLikeMessage(byte[] h) {
        int i = 0;
        while (i < h.length && i < 78 && (h[i] > ' ' && h[i] < 127 && h[i] != ':')) {
            i++;
        }
        if (i == 0 || i >= h.length || h[i] != ':') {
            return false;
        }
        String field = new String(h, 0, i, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        return field.equals("from") || field.equals("to") || field.equals("subject") || field.equals("date")
                || field.equals("received") || field.equals("return-path") || field.equals("message-id")
                || field.equals("mime-version") || field.startsWith("x-") || field.equals("delivered-to");
    }

    public static final class Builder {
        private final Map<Format, FormatExtractor> extractors = new EnumMap<>(Format.class);

        public Builder register(Format format, FormatExtractor extractor) {
            extractors.put(format, extractor);
            return this;
        }

        public FormatRegistry build() {
            return new FormatRegistry(extractors);
        }
    }
}
