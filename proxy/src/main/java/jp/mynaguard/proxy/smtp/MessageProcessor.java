package jp.mynaguard.proxy.smtp;

import java.util.concurrent.CompletableFuture;

/**
 * What happens at the final dot: inspect, decide, and relay, hold or refuse. The future completes
 * with the reply for the client (never exceptionally in a correct implementation; the session
 * answers 451 if it does), and only once the outcome is final: relayed by the upstream, synced to
 * the hold store, or refused.
 */
interface MessageProcessor {
    CompletableFuture<SmtpReply> process(Submission submission);
}
