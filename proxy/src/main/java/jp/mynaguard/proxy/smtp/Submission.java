package jp.mynaguard.proxy.smtp;

import java.time.Instant;
import java.util.List;

/**
 * A message received in full, handed to the {@link MessageProcessor} at the final dot. The
 * processor owns {@link #message()} and {@link #upstream()} from then on: it ends both.
 *
 * @param referenceId  the transaction's reference id (also the Received: id)
 * @param client       the client's IP address, for the log
 * @param identity     who is sending
 * @param mailFrom     reverse path ({@code ""} for the null sender)
 * @param recipients   recipients the upstream accepted, in order
 * @param upstream     the open upstream transaction (MAIL and RCPT done)
 * @param message      the content, with our Received: header
 * @param receivedAt   when MAIL FROM was accepted
 * @param clientBytes  size of the content as the client sent it
 */
record Submission(String referenceId, String client, SenderIdentity identity, String mailFrom, List<String> recipients,
                  UpstreamTransaction upstream, SpooledMessage message, Instant receivedAt, long clientBytes) {
    Submission {
        recipients = List.copyOf(recipients);
    }
}
