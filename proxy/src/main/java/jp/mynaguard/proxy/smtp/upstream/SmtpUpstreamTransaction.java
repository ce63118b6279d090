package jp.mynaguard.proxy.smtp.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.UpstreamObserver;
import jp.mynaguard.proxy.smtp.UpstreamTransaction;

/**
 * A mail transaction on one pooled connection. The connection goes back to the pool when the
 * transaction ends with the smarthost in a known state (after the end-of-data reply, a refused
 * MAIL, or RSET), and is closed when it ends in an unknown one (timeout, lost connection).
 */
final class SmtpUpstreamTransaction implements UpstreamTransaction {
    static final SmtpReply NO_VALID_RECIPIENTS = SmtpReply.of(554, "5.5.1", "no valid recipients");
    static final SmtpReply TRANSACTION_OVER = SmtpReply.of(503, "5.5.1", "upstream transaction already ended");

    private final UpstreamConnection connection;
    private final ConnectionPool pool;
    private final SmtpReply mailReply;
    private final List<CompletableFuture<SmtpReply>> rcpts = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicBoolean over = new AtomicBoolean();
    private final UpstreamObserver observer;
    private volatile SmtpReply failure;

    private SmtpUpstreamTransaction(UpstreamConnection connection, ConnectionPool pool, SmtpReply mailReply,
                                    UpstreamObserver observer) {
        this.connection = connection;
        this.pool = pool;
        this.mailReply = mailReply;
        this.observer = observer;
    }

    /** Sends MAIL on a ready connection. Fails (exceptionally) only when the connection does. */
    static CompletableFuture<UpstreamTransaction> start(UpstreamConnection c, ConnectionPool pool, String from,
                                                        Map<String, String> parameters, UpstreamObserver observer) {
        EhloCapabilities caps = c.capabilities();
        if (parameters.containsKey("SMTPUTF8") && !caps.has("SMTPUTF8")) {
            pool.release(c);
            return CompletableFuture.completedFuture(new ClosedTransaction(
                    SmtpReply.of(553, "5.6.7", "upstream does not support SMTPUTF8")));
        }
        ClientCommand mail;
        try {
            mail = Addresses.mail(from, parameters, caps);
        } catch (IllegalArgumentException e) {
            pool.release(c);
            return CompletableFuture.completedFuture(new ClosedTransaction(
                    SmtpReply.of(501, "5.1.7", "invalid sender address or parameters")));
        }
        return c.command(mail).thenApply(reply -> {
            observer.reached();
            SmtpUpstreamTransaction tx = new SmtpUpstreamTransaction(c, pool, reply, observer);
            if (!reply.positive()) {
                // A refused MAIL opens no transaction: the connection is clean for the next one.
                tx.over.set(true);
                pool.release(c);
            }
            return tx;
        });
    }

    @Override
    public SmtpReply mailReply() {
        return mailReply;
    }

    @Override
    public CompletableFuture<SmtpReply> rcpt(String address) {
        if (over.get()) {
            return CompletableFuture.completedFuture(endedReply());
        }
        ClientCommand rcpt;
        try {
            rcpt = Addresses.rcpt(address);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(SmtpReply.of(501, "5.1.3", "invalid recipient address"));
        }
        CompletableFuture<SmtpReply> reply = connection.command(rcpt).handle((r, t) -> {
            if (t != null) {
                return failed(t);
            }
            if (r.positive()) {
                accepted.incrementAndGet();
            }
            return r;
        });
        rcpts.add(reply);
        return reply;
    }

    @Override
    public CompletableFuture<SmtpReply> data(InputSource content) {
        if (!over.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(endedReply());
        }
        // Every RCPT reply must be in before we decide whether there is anyone to send to.
        return CompletableFuture.allOf(rcpts.toArray(CompletableFuture[]::new))
                .thenCompose(v -> {
                    if (failure != null) {
                        return CompletableFuture.completedFuture(failure);
                    }
                    if (accepted.get() == 0) {
                        return reset().thenApply(x -> NO_VALID_RECIPIENTS);
                    }
                    return connection.command(ClientCommand.DATA).thenCompose(dataReply -> {
                        if (dataReply.code() != 354) {
                            // Answer once the connection is back in the pool, so the next message can use it.
                            return reset().thenApply(x -> dataReply);
                        }
                        return connection.content(content).thenApply(end -> {
                            pool.release(connection);
                            return end;
                        });
                    });
                })
                .exceptionally(this::failed);
    }

    @Override
    public void abort() {
        if (over.compareAndSet(false, true) && failure == null) {
            reset();
        }
    }

    /** RSET, then back to the pool; closed instead when RSET does not get its 250. Never fails. */
    private CompletableFuture<Void> reset() {
        return connection.command(ClientCommand.RSET).handle((r, t) -> {
            if (t == null && r.code() == 250) {
                pool.release(connection);
            } else {
                connection.close();
            }
            return null;
        });
    }

    private SmtpReply failed(Throwable t) {
        SmtpReply reply = UpstreamException.replyFor(t);
        observer.failed(UpstreamException.kindOf(t));
        failure = reply;
        over.set(true);
        connection.close();
        return reply;
    }

    private SmtpReply endedReply() {
        SmtpReply f = failure;
        return f != null ? f : TRANSACTION_OVER;
    }
}
