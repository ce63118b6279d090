package jp.mynaguard.proxy.audit;

import java.io.Closeable;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jp.mynaguard.policy.extract.InputSource;
import jp.mynaguard.policy.rules.NumberGuard;
import jp.mynaguard.proxy.smtp.Relay;
import jp.mynaguard.proxy.smtp.RelayResult;
import jp.mynaguard.proxy.smtp.Upstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incident alerts on the way into the audit trail: every event goes to the trail; one that is an
 * incident ({@link IncidentCriteria}) is also mailed to the security team (through the upstream,
 * from the null sender, Japanese and English) and POSTed as JSON to the webhook, at once and off
 * the caller's thread. Webhook attempts time out and are retried a few times with a growing pause.
 * What was sent, and how it went, is itself recorded ({@code alert}).
 */
public final class IncidentAlerts implements AuditSink, Closeable {
    private static final Logger log = LoggerFactory.getLogger(IncidentAlerts.class);
    static final String ALERT = "alert";

    private final AuditSink trail;
    private final AuditSettings.AlertSettings settings;
    private final Supplier<List<String>> securityTeam;
    private final Upstream upstream;
    private final String from;
    private final String hostname;
    private final ZoneId zone;
    private final HttpClient http;
    private final String token;
    private final BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(AuditLimits.ALERT_QUEUE);
    private final AtomicLong lost = new AtomicLong();
    private final Set<CompletableFuture<?>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param securityTeam the active policy's security team (read per alert: a reload may change it)
     * @param upstream     where alert mail goes; {@code null} = no mail
     * @param from         the alert mail's From (the notice address)
     */
    public IncidentAlerts(AuditSink trail, AuditSettings.AlertSettings settings, Supplier<List<String>> securityTeam,
                          Upstream upstream, String from, String hostname, ZoneId zone) throws IOException {
        this.trail = trail;
        this.settings = settings;
        this.securityTeam = securityTeam;
        this.upstream = upstream;
        this.from = from;
        this.hostname = hostname;
        this.zone = zone;
        this.token = settings.webhookTokenFile() == null ? null : firstLine(settings.webhookTokenFile());
        this.http = settings.webhook() == null ? null
                : HttpClient.newBuilder().connectTimeout(settings.webhookTimeout()).build();
        this.worker = new Thread(this::run, "mynaguard-incident-alerts");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void record(AuditEvent event) {
        trail.record(event);
        if (!ALERT.equals(event.type()) && IncidentCriteria.isIncident(event) && !closed && !queue.offer(event)) {
            long n = lost.incrementAndGet();
            log.error("incident alert queue full: {} alert(s) not sent (the incidents are in the audit trail)", n);
        }
    }

    @Override
    public boolean accepting() {
        return trail.accepting();
    }

    /** Alerts not sent because too many came at once. */
    public long lost() {
        return lost.get();
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            try {
                AuditEvent e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    send(e);
                }
            } catch (InterruptedException ex) {
                return;
            } catch (RuntimeException ex) {
                log.error("incident alert failed", ex);
            }
        }
    }

    private void send(AuditEvent e) {
        String ref = String.valueOf(e.fields().get("ref"));
        List<CompletableFuture<String>> results = new ArrayList<>();
        if (settings.mail() && upstream != null) {
            Set<String> to = new LinkedHashSet<>(securityTeam.get());
            to.addAll(settings.mailTo());
            for (String addr : to) {
                results.add(mail(e, addr));
            }
        }
        if (http != null) {
            results.add(webhook(e, 1));
        }
        if (results.isEmpty()) {
            log.warn("ref {}: incident, but no alert is configured (security_team, audit.alerts)", ref);
            return;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]));
        pending.add(all);
        all.whenComplete((v, error) -> {
            pending.remove(all);
            List<String> outcomes = results.stream().map(f -> f.getNow("unknown")).toList();
            trail.record(AuditEvent.of(ALERT).ref(ref).field("event", e.type()).field("sent", outcomes).build());
        });
    }

    private CompletableFuture<String> mail(AuditEvent e, String to) {
        String ref = String.valueOf(e.fields().get("ref"));
        try {
            byte[] mail = IncidentMail.build(e, from, to, hostname, zone);
            return Relay.send(upstream, "", List.of(to), InputSource.of(mail)).thenApply(RelayResult::finalReply)
                    .handle((reply, error) -> {
                        boolean ok = error == null && reply != null && reply.positive();
                        if (!ok) {
                            log.warn("ref {}: incident mail to {} not delivered: {}", ref, NumberGuard.redact(to),
                                    error != null ? error.toString() : String.valueOf(reply));
                        }
                        return "mail " + to + ": " + (ok ? "sent" : "failed");
                    });
        } catch (IOException | RuntimeException ex) {
            log.warn("ref {}: cannot send the incident mail to {}: {}", ref, NumberGuard.redact(to), ex.toString());
            return CompletableFuture.completedFuture("mail " + to + ": failed");
        }
    }

    private CompletableFuture<String> webhook(AuditEvent e, int attempt) {
        HttpRequest.Builder req = HttpRequest.newBuilder(settings.webhook())
                .timeout(settings.webhookTimeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Mynaguard")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload(e)));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding())
                .handle((resp, error) -> {
                    if (error == null && resp.statusCode() / 100 == 2) {
                        return CompletableFuture.completedFuture("webhook: " + resp.statusCode() + " after " + attempt
                                + " attempt(s)");
                    }
                    String why = error != null ? error.toString() : "HTTP " + resp.statusCode();
                    if (attempt >= settings.webhookAttempts() || closed) {
                        log.error("incident webhook failed {} time(s), giving up: {}", attempt, why);
                        return CompletableFuture.completedFuture("webhook: failed after " + attempt
                                + " attempt(s): " + NumberGuard.redact(why));
                    }
                    log.warn("incident webhook attempt {} failed ({}); retrying", attempt, why);
                    long pause = AuditLimits.WEBHOOK_RETRY_PAUSE.toMillis() << (attempt - 1);
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS))
                            .thenCompose(x -> webhook(e, attempt + 1));
                })
                .thenCompose(f -> f);
    }

    /** The webhook's JSON: the incident's reference, counts and addresses; never a digit of a number. */
    byte[] payload(AuditEvent e) {
        Map<String, Object> f = e.fields();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "mynaguard.incident");
        p.put("gateway", hostname);
        p.put("ref", f.get("ref"));
        p.put("time", AuditJson.time(e.time()));
        p.put("event", e.type());
        for (String k : List.of("channel", "user", "sender", "groups", "recipients", "externalRecipients", "host",
                "externalHost", "rule", "action", "mode", "outcome", "myNumbers", "findings", "incidentReasons")) {
            if (f.get(k) != null) {
                p.put(k, f.get(k));
            }
        }
        if (f.get("unscannable") instanceof List<?> u) {
            p.put("unscannable", u);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ja", "個人番号のインシデントの可能性 (参照番号 " + f.get("ref") + "): " + f.get("action")
                + ", マイナンバー " + f.get("myNumbers") + " 件");
        summary.put("en", "Possible My Number incident (ref " + f.get("ref") + "): " + f.get("action") + ", "
                + f.get("myNumbers") + " My Number(s)");
        p.put("summary", summary);
        return AuditJson.object(p);
    }

    private static String firstLine(java.nio.file.Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }

    /** Sends what is queued and waits a little for what is in flight. */
    @Override
    public void close() {
        closed = true;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("incident alerts still in flight at stop: {}", e.toString());
        }
    }
}
