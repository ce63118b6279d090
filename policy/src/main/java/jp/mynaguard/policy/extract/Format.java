package jp.mynaguard.policy.extract;

/** The formats the extractor knows; {@link FormatRegistry#detect} picks one for each input and nested file. */
public enum Format {
    /** RFC 5322 message, also {@code message/rfc822} attachments (forwarded mail). */
    MESSAGE,
    /** Raw HTTP/1.1 request: request line, headers, body. Only ever top-level. */
    HTTP_REQUEST,
    HTML,
    TEXT,
    CSV,
    TSV,
    JSON,
    XML,
    XLSX,
    XLS,
    DOCX,
    DOC,
    PPTX,
    ODF,
    RTF,
    PDF,
    ZIP,
    GZIP,
    /** OLE2 compound file that is not a known Office format, e.g. a password-protected OOXML file. */
    OLE2,
    /** Anything else: scanned for readable text runs. */
    BINARY
}
