package jp.mynaguard.proxy.smtp;

import java.net.InetSocketAddress;

/** Per-connection SMTP state. Touched on the channel's event loop only. */
final class SmtpSession {
    final InetSocketAddress remote;
    final String clientIp;
    final boolean loopback;
    /** Identity without AUTH: the mapped user, a relay client, or {@code null}. */
    final SenderIdentity baseIdentity;

    String helo;
    boolean esmtp;
    boolean tls;
    String tlsDetails;
    SenderIdentity identity;
    boolean authenticated;
    MailTransaction transaction;
    boolean inData;
    int errors;
    int junk;
    int authFailures;

    SmtpSession(InetSocketAddress remote, SenderIdentity baseIdentity) {
        this.remote = remote;
        this.clientIp = remote.getAddress().getHostAddress();
        this.loopback = remote.getAddress().isLoopbackAddress();
        this.baseIdentity = baseIdentity;
        this.identity = baseIdentity;
    }

    /** Ends the open transaction, if any, abandoning its upstream side. */
    void abortTransaction() {
        if (transaction != null) {
            transaction.abort();
            transaction = null;
        }
    }

    /** RFC 3207: after STARTTLS the client starts over; nothing learned in clear text is kept. */
    void resetForTls() {
        abortTransaction();
        helo = null;
        esmtp = false;
        identity = baseIdentity;
        authenticated = false;
    }

    /** The RFC 3848 "with" keyword for the Received: header. */
    String protocol() {
        if (!esmtp) {
            return "SMTP";
        }
        return "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
    }
}
