package jp.mynaguard.proxy.smtp;

import java.util.concurrent.CompletableFuture;

import jp.mynaguard.policy.extract.InputSource;

/** One open upstream mail transaction (after MAIL FROM). Not thread-safe; one caller at a time. */
public interface UpstreamTransaction {
    /** The reply to MAIL FROM. When it is not positive the transaction is already over. */
    SmtpReply mailReply();

    /** RCPT TO; the reply is the upstream's. */
    CompletableFuture<SmtpReply> rcpt(String address);

    /**
     * DATA, then {@code content} (the message exactly as it is to be delivered, CRLF line ends,
     * not dot-stuffed: the transaction stuffs), then the end-of-data reply. Ends the transaction.
     */
    CompletableFuture<SmtpReply> data(InputSource content);

    /** Abandons the transaction (RSET upstream, connection back to the pool). Idempotent. */
    void abort();
}
