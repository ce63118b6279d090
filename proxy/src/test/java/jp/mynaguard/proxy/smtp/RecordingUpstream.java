package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jp.mynaguard.policy.extract.InputSource;

/**
 * Test double of the upstream seam: accepts everything unless told otherwise, and records what it
 * was given. Replies can be set per recipient, for MAIL and for DATA; {@link #down()} makes it
 * behave like an unreachable smarthost (451 4.4.1 at MAIL, as the real client reports it).
 */
final class RecordingUpstream implements Upstream {
    /** One message the upstream accepted. */
    record Delivery(String mailFrom, Map<String, String> parameters, List<String> recipients, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private volatile UpstreamCapabilities capabilities = UpstreamCapabilities.PERMISSIVE;
    private volatile SmtpReply mailReply = SmtpReply.of(250, "2.1.0", "Ok");
    private volatile SmtpReply dataReply = SmtpReply.of(250, "2.0.0", "Ok: queued as UPSTREAM1");
    private final Map<String, SmtpReply> rcptReplies = new ConcurrentHashMap<>();
    final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger begun = new AtomicInteger();
    final AtomicInteger aborted = new AtomicInteger();

    RecordingUpstream capabilities(UpstreamCapabilities c) {
        this.capabilities = c;
        return this;
    }

    RecordingUpstream down() {
        this.mailReply = SmtpReply.of(451, "4.4.1", "Upstream server not available, try again later");
        return this;
    }

    RecordingUpstream mailReply(SmtpReply r) {
        this.mailReply = r;
        return this;
    }

    RecordingUpstream dataReply(SmtpReply r) {
        this.dataReply = r;
        return this;
    }

    RecordingUpstream rcptReply(String address, SmtpReply r) {
        rcptReplies.put(address.toLowerCase(java.util.Locale.ROOT), r);
        return this;
    }

    /** Deliveries whose envelope sender is not the null sender (i.e. not notices). */
    List<Delivery> messages() {
        synchronized (deliveries) {
            return deliveries.stream().filter(d -> !d.mailFrom().isEmpty()).toList();
        }
    }

    /** Notices (null sender). */
    List<Delivery> notices() {
        synchronized (deliveries) {
            return deliveries.stream().filter(d -> d.mailFrom().isEmpty()).toList();
        }
    }

    @Override
    public CompletableFuture<UpstreamTransaction> begin(String mailFrom, Map<String, String> parameters) {
        begun.incrementAndGet();
        SmtpReply mail = mailReply;
        return CompletableFuture.completedFuture(new Transaction(mailFrom, parameters, mail));
    }

    @Override
    public UpstreamCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void close() {
    }

    private final class Transaction implements UpstreamTransaction {
        private final String mailFrom;
        private final Map<String, String> parameters;
        private final SmtpReply mail;
        private final List<String> recipients = new ArrayList<>();
        private boolean over;

        Transaction(String mailFrom, Map<String, String> parameters, SmtpReply mail) {
            this.mailFrom = mailFrom;
            this.parameters = Map.copyOf(parameters);
            this.mail = mail;
            this.over = !mail.positive();
        }

        @Override
        public SmtpReply mailReply() {
            return mail;
        }

        @Override
        public CompletableFuture<SmtpReply> rcpt(String address) {
            if (over) {
                throw new IllegalStateException("transaction is over");
            }
            SmtpReply r = rcptReplies.getOrDefault(address.toLowerCase(java.util.Locale.ROOT),
                    SmtpReply.of(250, "2.1.5", "Ok"));
            if (r.positive()) {
                recipients.add(address);
            }
            return CompletableFuture.completedFuture(r);
        }

        @Override
        public CompletableFuture<SmtpReply> data(InputSource content) {
            if (over || recipients.isEmpty()) {
                throw new IllegalStateException("no transaction to send data in");
            }
            over = true;
            SmtpReply r = dataReply;
            if (r.positive()) {
                try (InputStream in = content.openStream()) {
                    deliveries.add(new Delivery(mailFrom, parameters, List.copyOf(recipients), in.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return CompletableFuture.completedFuture(r);
        }

        @Override
        public void abort() {
            if (!over) {
                over = true;
                aborted.incrementAndGet();
            }
        }
    }
}
