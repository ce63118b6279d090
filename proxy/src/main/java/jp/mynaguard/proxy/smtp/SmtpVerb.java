package jp.mynaguard.proxy.smtp;

import java.util.Locale;

/** The commands this server knows; everything else is {@link #UNKNOWN}. */
enum SmtpVerb {
    HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, VRFY, EXPN, HELP, STARTTLS, AUTH,
    /** RFC 3030 chunking: not offered in this version, answered 502. */
    BDAT,
    UNKNOWN;

    static SmtpVerb of(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        for (SmtpVerb v : values()) {
            if (v != UNKNOWN && v.name().equals(w)) {
                return v;
            }
        }
        return UNKNOWN;
    }

    /** Commands that make no progress towards a message; too many of them end the session. */
    boolean junk() {
        return this == NOOP || this == RSET || this == VRFY || this == EXPN || this == HELP;
    }
}
