package jp.mynaguard.policy.rules;

import java.util.Locale;
import java.util.Set;

/**
 * Conditions on where the content goes: recipients of mail, or for uploads the destination host
 * (which counts as the one recipient, so one policy can speak about both channels).
 */
public final class RecipientConditions {
    private RecipientConditions() {
    }

    /** {@code external_recipients: any | all | none}. */
    public enum Extent {
        ANY, ALL, NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code external_recipients: any | all | none}; {@code all} needs at least one recipient. */
    public record ExternalRecipients(Extent extent) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            int external = facts.externalCount();
            switch (extent) {
                case ANY:
                    return external > 0;
                case ALL:
                    return external > 0 && external == facts.recipientCount();
                default:
                    return external == 0;
            }
        }

        @Override
        public String describe() {
            return "external_recipients: " + extent.label();
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return facts.externalCount() + " of " + facts.recipientCount() + " recipients are external";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof ExternalRecipients w && extent == Extent.ALL && w.extent == Extent.ANY;
        }
    }

    /** {@code recipient_domain: [domains or patterns]}: at least one recipient is in them. */
    public record RecipientDomain(PatternSet domains) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            for (int i = 0; i < facts.recipientCount(); i++) {
                if (domains.matchesFolded(facts.recipientDomain(i))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "recipient_domain: " + domains;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return "no recipient is in these domains";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof RecipientDomain w && domains.coveredBy(w.domains);
        }
    }

    /** {@code recipients_at_least: N}. */
    public record RecipientsAtLeast(int count) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            return facts.recipientCount() >= count;
        }

        @Override
        public String describe() {
            return "recipients_at_least: " + count;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return "there are " + facts.recipientCount() + " recipients";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof RecipientsAtLeast w && count >= w.count;
        }
    }

    /** {@code external_recipients_at_least: N}. */
    public record ExternalRecipientsAtLeast(int count) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            return facts.externalCount() >= count;
        }

        @Override
        public String describe() {
            return "external_recipients_at_least: " + count;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return "there are " + facts.externalCount() + " external recipients";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            if (weaker instanceof ExternalRecipientsAtLeast w) {
                return count >= w.count;
            }
            if (weaker instanceof RecipientsAtLeast w) {
                return count >= w.count();
            }
            return weaker instanceof ExternalRecipients w && w.extent() == Extent.ANY && count >= 1;
        }
    }

    /** {@code http_host: [host patterns]}: uploads only. */
    public record HttpHost(PatternSet hosts) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            String host = facts.envelope().httpHost();
            return host != null && hosts.matchesFolded(host);
        }

        @Override
        public String describe() {
            return "http_host: " + hosts;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return facts.envelope().httpHost() == null ? "not an upload" : "the host is not in the list";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof HttpHost w && hosts.coveredBy(w.hosts);
        }
    }

    /** {@code http_method: [POST, PUT]}: uploads only. */
    public record HttpMethod(Set<String> methods) implements Condition {
        public HttpMethod {
            methods = OrderedSets.of(methods);
        }

        @Override
        public boolean test(MessageFacts facts) {
            String method = facts.envelope().httpMethod();
            return method != null && methods.contains(method);
        }

        @Override
        public String describe() {
            return "http_method: " + methods;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            String method = facts.envelope().httpMethod();
            return method == null ? "not an upload" : "the method is " + method;
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof HttpMethod w && w.methods.containsAll(methods);
        }
    }

    /** {@code http_path: [path patterns]} (case-sensitive): uploads only. */
    public record HttpPath(PatternSet paths) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            String path = facts.envelope().httpPath();
            return path != null && paths.matchesFolded(path);
        }

        @Override
        public String describe() {
            return "http_path: " + paths;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return facts.envelope().httpPath() == null ? "not an upload" : "the path is not in the list";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof HttpPath w && paths.coveredBy(w.paths);
        }
    }
}
