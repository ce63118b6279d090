package jp.mynaguard.proxy.smtp.upstream;

import java.io.IOException;

import jp.mynaguard.proxy.smtp.SmtpReply;

/**
 * Why talking to the smarthost failed, with the reply our client gets for it. Used inside the
 * upstream package only: at the {@link jp.mynaguard.proxy.smtp.Upstream} boundary every failure
 * becomes its {@link #reply()}, because those futures never complete exceptionally.
 *
 * <p>All replies are 4xx: whatever breaks between us and the smarthost (down, slow, TLS gone,
 * our credentials refused) is something the client should retry later, not a bounce for the
 * sender. Messages name the condition, never content or addresses.
 */
final class UpstreamException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently (e.g. retry a stale pooled connection). */
    enum Kind { UNREACHABLE, TIMEOUT, CONNECTION_LOST, PROTOCOL, TLS, AUTH, LOCAL }

    private final Kind kind;
    private final transient SmtpReply reply;

    UpstreamException(Kind kind, SmtpReply reply, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reply = reply;
    }

    Kind kind() {
        return kind;
    }

    SmtpReply reply() {
        return reply;
    }

    static UpstreamException unreachable(String why, Throwable cause) {
        return new UpstreamException(Kind.UNREACHABLE, SmtpReply.of(451, "4.4.1", "upstream unreachable"), why, cause);
    }

    static UpstreamException timeout(String waitingFor) {
        return new UpstreamException(Kind.TIMEOUT, SmtpReply.of(451, "4.4.2", "upstream timed out"),
                "no reply from the smarthost to " + waitingFor + " in time", null);
    }

    static UpstreamException connectionLost() {
        return connectionLost("the smarthost closed the connection", null);
    }

    static UpstreamException connectionLost(String why, Throwable cause) {
        return new UpstreamException(Kind.CONNECTION_LOST, SmtpReply.of(451, "4.4.2", "upstream connection lost"),
                why, cause);
    }

    static UpstreamException protocol(String why, Throwable cause) {
        return new UpstreamException(Kind.PROTOCOL, SmtpReply.of(451, "4.5.0", "upstream protocol error"), why, cause);
    }

    static UpstreamException tls(String why, Throwable cause) {
        return new UpstreamException(Kind.TLS, SmtpReply.of(451, "4.7.0", "upstream TLS not available"), why, cause);
    }

    static UpstreamException auth(String why) {
        return new UpstreamException(Kind.AUTH, SmtpReply.of(451, "4.7.0", "upstream authentication failed"), why, null);
    }

    static UpstreamException localRead(Throwable cause) {
        return new UpstreamException(Kind.LOCAL, SmtpReply.of(451, "4.3.0", "local error reading the message"),
                "could not read the message content", cause);
    }

    /** The reply for any throwable that ended an upstream step. */
    static SmtpReply replyFor(Throwable t) {
        UpstreamException u = find(t);
        return u != null ? u.reply() : SmtpReply.of(451, "4.3.0", "upstream error");
    }

    /** The failure's kind as a metric label (lower case), {@code "local"} when it is not one of ours. */
    static String kindOf(Throwable t) {
        UpstreamException u = find(t);
        return u == null ? "local" : u.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The UpstreamException in {@code t}'s cause chain (futures wrap it in CompletionException). */
    static UpstreamException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UpstreamException u) {
                return u;
            }
        }
        return null;
    }
}
