package jp.mynaguard.proxy.smtp;

/**
 * The {@code CRLF . CRLF} that ends DATA, with what (if anything) makes the content unacceptable
 * under the configured {@link BareLineEndPolicy} and {@link LongLinePolicy}.
 *
 * @param error            {@code null} when the content is acceptable
 * @param normalizedBareLf how many bare LFs were turned into CRLF (for the log)
 */
record DataEnd(ContentError error, int normalizedBareLf) {
    /** Why content read to its end is refused. */
    enum ContentError {
        BARE_CR(550, "5.6.0", "Message refused: bare CR in content (lines must end with CRLF)"),
        BARE_LF(550, "5.6.0", "Message refused: bare LF in content (lines must end with CRLF)"),
        LONG_LINE(550, "5.6.0", "Message refused: a line is longer than 1000 octets (RFC 5321)");

        private final int code;
        private final String enhanced;
        private final String text;

        ContentError(int code, String enhanced, String text) {
            this.code = code;
            this.enhanced = enhanced;
            this.text = text;
        }

        SmtpReply reply() {
            return SmtpReply.of(code, enhanced, text);
        }
    }
}
