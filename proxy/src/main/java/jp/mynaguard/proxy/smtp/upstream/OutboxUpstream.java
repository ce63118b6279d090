package jp.mynaguard.proxy.smtp.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.netty.util.concurrent.DefaultThreadFactory;
import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.proxy.ReferenceId;
import jp.mynaguard.proxy.io.DurableFiles;
import jp.mynaguard.proxy.smtp.SmtpReply;
import jp.mynaguard.proxy.smtp.Upstream;
import jp.mynaguard.proxy.smtp.UpstreamCapabilities;
import jp.mynaguard.proxy.smtp.UpstreamObserver;
import jp.mynaguard.proxy.smtp.UpstreamTransaction;

/**
 * The embedded default when no smarthost is configured: each message becomes one file
 * {@code NAME.eml} in the outbox directory, byte for byte as it would have gone out (CRLF line
 * ends, not dot-stuffed), beside {@code NAME.envelope.json} with MAIL FROM and the recipients.
 * A new user can try the whole flow and read the result with any mail program.
 *
 * <p>Both files are written with {@link DurableFiles}: complete and on disk before the client's
 * {@code 250}, never half-written under their final names. The envelope is published first, so
 * an {@code .eml} that exists always has its envelope. Names are unique: a UTC timestamp plus a
 * random suffix, and publishing refuses to replace an existing file.
 */
public final class OutboxUpstream implements Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxUpstream.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private final Path dir;
    /** File writes stay off the caller's thread, which is usually an SMTP event loop. */
    private final ExecutorService writer =
            Executors.newCachedThreadPool(new DefaultThreadFactory("mynaguard-outbox", true));
    private volatile UpstreamObserver observer = UpstreamObserver.NONE;

    public OutboxUpstream(Path outboxDir) {
        this.dir = Objects.requireNonNull(outboxDir, "outboxDir");
        try {
            Files.createDirectories(outboxDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outbox directory " + outboxDir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public CompletableFuture<UpstreamTransaction> begin(String mailFrom, Map<String, String> parameters) {
        return CompletableFuture.completedFuture(new Transaction(mailFrom, Map.copyOf(parameters)));
    }

    @Override
    public UpstreamCapabilities capabilities() {
        return UpstreamCapabilities.PERMISSIVE;
    }

    @Override
    public void observe(UpstreamObserver o) {
        this.observer = o == null ? UpstreamObserver.NONE : o;
    }

    /** The outbox is reachable while its directory exists and we may write to it. */
    @Override
    public CompletableFuture<Boolean> probeReachable() {
        return CompletableFuture.completedFuture(!writer.isShutdown() && Files.isDirectory(dir) && Files.isWritable(dir));
    }

    @Override
    public void close() {
        writer.shutdown();
    }

    /** Writes one message; returns its base name (without extension). */
    String write(String mailFrom, List<String> recipients, Map<String, String> parameters, InputSource content)
            throws IOException {
        Instant now = Instant.now();
        while (true) {
            String name = STAMP.format(now) + "-" + ReferenceId.next();
            Path eml = dir.resolve(name + ".eml");
            Path envelope = dir.resolve(name + ".envelope.json");
            if (Files.exists(eml) || Files.exists(envelope)) {
                continue;
            }
            Path envTmp = DurableFiles.writeTemp(dir, ".envelope-", out -> writeEnvelope(out, mailFrom, recipients,
                    parameters, now));
            try {
                DurableFiles.publish(envTmp, envelope);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            boolean published = false;
            try {
                Path emlTmp = DurableFiles.writeTemp(dir, ".message-", out -> {
                    try (InputStream in = content.openStream()) {
                        in.transferTo(out);
                    }
                });
                DurableFiles.publish(emlTmp, eml);
                published = true;
                return name;
            } catch (FileAlreadyExistsException e) {
                // Cannot happen with the envelope name reserved above, but never overwrite a message.
                continue;
            } finally {
                if (!published) {
                    Files.deleteIfExists(envelope);
                }
            }
        }
    }

    private static void writeEnvelope(java.io.OutputStream out, String mailFrom, List<String> recipients,
                                      Map<String, String> parameters, Instant at) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("mailFrom", mailFrom);
            g.writeArrayFieldStart("recipients");
            for (String r : recipients) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("parameters");
            for (Map.Entry<String, String> p : new TreeMap<>(parameters).entrySet()) {
                g.writeStringField(p.getKey(), p.getValue());
            }
            g.writeEndObject();
            g.writeStringField("writtenAt", at.toString());
            g.writeEndObject();
        }
    }

    private final class Transaction implements UpstreamTransaction {
        private final String mailFrom;
        private final Map<String, String> parameters;
        private final List<String> recipients = new ArrayList<>();
        private final AtomicBoolean over = new AtomicBoolean();

        Transaction(String mailFrom, Map<String, String> parameters) {
            this.mailFrom = Objects.requireNonNull(mailFrom, "mailFrom");
            this.parameters = parameters;
        }

        @Override
        public SmtpReply mailReply() {
            return SmtpReply.of(250, "2.1.0", "Ok");
        }

        @Override
        public CompletableFuture<SmtpReply> rcpt(String address) {
            if (over.get()) {
                return CompletableFuture.completedFuture(SmtpUpstreamTransaction.TRANSACTION_OVER);
            }
            synchronized (recipients) {
                recipients.add(Objects.requireNonNull(address, "address"));
            }
            return CompletableFuture.completedFuture(SmtpReply.of(250, "2.1.5", "Ok"));
        }

        @Override
        public CompletableFuture<SmtpReply> data(InputSource content) {
            if (!over.compareAndSet(false, true)) {
                return CompletableFuture.completedFuture(SmtpUpstreamTransaction.TRANSACTION_OVER);
            }
            List<String> rcpts;
            synchronized (recipients) {
                rcpts = List.copyOf(recipients);
            }
            if (rcpts.isEmpty()) {
                return CompletableFuture.completedFuture(SmtpUpstreamTransaction.NO_VALID_RECIPIENTS);
            }
            if (writer.isShutdown()) {
                return CompletableFuture.completedFuture(SmtpReply.of(451, "4.3.2", "gateway shutting down"));
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    String name = write(mailFrom, rcpts, parameters, content);
                    observer.reached();
                    return SmtpReply.of(250, "2.0.0", "Ok: delivered to the outbox as " + name);
                } catch (IOException | RuntimeException e) {
                    LOG.error("outbox {}: cannot write a message: {}", dir, e.toString());
                    observer.failed("outbox");
                    return SmtpReply.of(451, "4.3.0", "outbox write failed");
                }
            }, writer);
        }

        @Override
        public void abort() {
            over.set(true);
        }
    }
}
