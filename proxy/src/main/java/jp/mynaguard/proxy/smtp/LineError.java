package jp.mynaguard.proxy.smtp;

/** A command line that {@link SmtpFrameDecoder} could not frame; it has been skipped. */
enum LineError {
    /** More than {@link SmtpLimits#MAX_COMMAND_LINE} octets before the CRLF. */
    TOO_LONG(SmtpReply.of(500, "5.5.2", "Line too long")),
    /** An LF without CR: command lines must end with CRLF. */
    BARE_LF(SmtpReply.of(500, "5.5.2", "Syntax error: command lines must end with CRLF")),
    /** A CR inside the line. */
    BARE_CR(SmtpReply.of(500, "5.5.2", "Syntax error: bare CR in command line"));

    private final SmtpReply reply;

    LineError(SmtpReply reply) {
        this.reply = reply;
    }

    SmtpReply reply() {
        return reply;
    }
}
