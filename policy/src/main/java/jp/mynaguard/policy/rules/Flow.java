package jp.mynaguard.policy.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * A registered legitimate flow (個人番号利用事務), e.g. payroll sending 源泉徴収票 data to the tax
 * accountant's domain. A rule can match it with {@code flow: NAME} or {@code flow: any}; after its
 * expiry date it stops matching, so a forgotten exception cannot stay open for ever.
 *
 * @param name             unique name
 * @param description      what the flow is for (may be empty)
 * @param owner            address of the person responsible for it
 * @param senders          sender address patterns allowed to use it
 * @param senderGroups     groups whose members may use it
 * @param recipientDomains every recipient (or the upload host) must be in these domains
 * @param expires          last day on which the flow matches (inclusive)
 * @param endsAt           first instant at which it no longer matches (start of the next day)
 * @param location         where the entry was written
 */
public record Flow(String name, String description, String owner, PatternSet senders, Set<String> senderGroups,
                   PatternSet recipientDomains, LocalDate expires, Instant endsAt, Location location) {
    public Flow {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(senders, "senders");
        senderGroups = OrderedSets.of(senderGroups);
        Objects.requireNonNull(recipientDomains, "recipientDomains");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(location, "location");
    }

    boolean activeAt(long epochMillis) {
        return epochMillis < endsAt.toEpochMilli();
    }

    /** Whether the message fits this flow, expiry aside. */
    boolean fits(MessageFacts facts) {
        if (facts.recipientCount() == 0) {
            return false;
        }
        String sender = facts.senderAddress();
        User principal = facts.principal();
        boolean senderOk = sender != null && senders.matchesFolded(sender);
        if (!senderOk && principal != null) {
            for (String g : principal.groups()) {
                if (senderGroups.contains(g)) {
                    senderOk = true;
                    break;
                }
            }
        }
        if (!senderOk) {
            return false;
        }
        for (int i = 0; i < facts.recipientCount(); i++) {
            if (!recipientDomains.matchesFolded(facts.recipientDomain(i))) {
                return false;
            }
        }
        return true;
    }
}
