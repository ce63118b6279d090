package jp.mynaguard.proxy.smtp.upstream;

import java.util.concurrent.CompletableFuture;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.UpstreamTransaction;

/** A transaction that never started: its MAIL reply is the failure, and so is every later answer. */
final class ClosedTransaction implements UpstreamTransaction {
    private final SmtpReply reply;

    ClosedTransaction(SmtpReply reply) {
        if (reply.positive()) {
            throw new IllegalArgumentException("a closed transaction needs a failure reply: " + reply);
        }
        this.reply = reply;
    }

    @Override
    public SmtpReply mailReply() {
        return reply;
    }

    @Override
    public CompletableFuture<SmtpReply> rcpt(String address) {
        return CompletableFuture.completedFuture(reply);
    }

    @Override
    public CompletableFuture<SmtpReply> data(InputSource content) {
        return CompletableFuture.completedFuture(reply);
    }

    @Override
    public void abort() {
    }
}
