package jp.mynaguard.policy.rules;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Conditions on the channel and on who sends: {@code channel}, {@code sender}, {@code sender_group}, {@code authenticated}, {@code flow}. */
public final class SenderConditions {
    private SenderConditions() {
    }

    /** {@code channel: smtp | http | [smtp, http]}. */
    public record ChannelIs(Set<Channel> channels) implements Condition {
        public ChannelIs {
            channels = OrderedSets.of(Channel.class, channels);
        }

        @Override
        public boolean test(MessageFacts facts) {
            return channels.contains(facts.channel());
        }

        @Override
        public String describe() {
            return "channel: " + channels;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return "the message came by " + facts.channel();
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof ChannelIs w && w.channels.containsAll(channels);
        }
    }

    /** {@code sender: [addresses or patterns such as *@example.co.jp]}. */
    public record SenderMatches(PatternSet patterns) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            String sender = facts.senderAddress();
            return sender != null && patterns.matchesFolded(sender);
        }

        @Override
        public String describe() {
            return "sender: " + patterns;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return facts.senderAddress() == null ? "the sender is unknown" : "the sender is not in the list";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof SenderMatches w && patterns.coveredBy(w.patterns);
        }
    }

    /** {@code sender_group: [group names]}: the sender is a directory user in one of the groups. */
    public record SenderInGroup(Set<String> groups) implements Condition {
        public SenderInGroup {
            groups = OrderedSets.of(groups);
        }

        @Override
        public boolean test(MessageFacts facts) {
            User user = facts.principal();
            if (user == null) {
                return false;
            }
            List<String> memberOf = user.groups();
            for (int i = 0; i < memberOf.size(); i++) {
                if (groups.contains(memberOf.get(i))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "sender_group: " + groups;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            User user = facts.principal();
            return user == null ? "the sender is not in the directory"
                    : "the sender's groups are " + user.groups();
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof SenderInGroup w && w.groups.containsAll(groups);
        }
    }

    /** {@code authenticated: true | false}: SMTP AUTH or proxy authentication took place. */
    public record Authenticated(boolean expected) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            return (facts.envelope().authenticatedUser() != null) == expected;
        }

        @Override
        public String describe() {
            return "authenticated: " + expected;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return expected ? "the sender did not authenticate" : "the sender authenticated";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return false;
        }
    }

    /**
     * {@code flow: NAME | any}: the message fits a registered flow that has not expired.
     *
     * @param name  the flow's name, or {@code null} for any flow
     * @param index the flow's index in the policy, or -1 for any
     */
    public record FlowMatches(String name, int index) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            if (index >= 0) {
                return facts.flowMatches(index);
            }
            int n = facts.policy().flows().size();
            for (int i = 0; i < n; i++) {
                if (facts.flowMatches(i)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return "flow: " + (name == null ? "any" : name);
        }

        @Override
        public String mismatch(MessageFacts facts) {
            if (index >= 0) {
                Flow flow = facts.policy().flows().get(index);
                if (!flow.activeAt(facts.nowMillis())) {
                    return "flow \"" + name + "\" expired after " + flow.expires();
                }
                return "the message does not fit flow \"" + name + "\" (sender or recipient domains)";
            }
            return "the message fits no registered, unexpired flow";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof FlowMatches w && w.name == null;
        }
    }
}
