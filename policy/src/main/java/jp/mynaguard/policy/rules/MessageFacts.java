package jp.mynaguard.policy.rules;

import java.util.Collection;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.Unscannable;

/**
 * What the conditions of a policy look at for one message, computed once per decision: who the
 * sender is in the directory, how many recipients are external, how many distinct numbers of each
 * type and level were found (after the allow-list), which unscannable reasons occurred.
 *
 * <p>It keeps counts only, never a finding, so a {@link Decision} may hold on to it for a later
 * explanation without holding any digit.
 */
final class MessageFacts {
    private static final int LEVELS = Level.values().length;
    private static final byte FLOW_UNKNOWN = 0;
    private static final byte FLOW_NO = 1;
    private static final byte FLOW_YES = 2;

    private final Policy policy;
    private final Envelope envelope;
    private final User principal;
    private final String senderAddress;
    private final int recipientCount;
    private final int externalCount;
    private final int[] findingsAtLeast = new int[FindingType.values().length * LEVELS];
    private final int unscannableMask;
    private final long nowMillis;
    private byte[] flowState;

    MessageFacts(Policy policy, Envelope envelope, Collection<Finding> findings,
                 Collection<Unscannable> unscannable, long nowMillis) {
        this.policy = policy;
        this.envelope = envelope;
        this.nowMillis = nowMillis;
        Organization org = policy.organization();
        User user = null;
        String auth = envelope.authenticatedUser();
        if (auth != null) {
            user = org.userByLogin(auth);
            if (user == null) {
                user = org.user(auth);
            }
        }
        if (user == null) {
            user = org.user(envelope.sender());
        }
        this.principal = user;
        if (user != null) {
            this.senderAddress = user.address();
        } else if (envelope.sender() != null) {
            this.senderAddress = envelope.sender();
        } else {
            this.senderAddress = auth != null && auth.indexOf('@') > 0 ? auth : null;
        }

        this.recipientCount = envelope.channel() == Channel.HTTP
                ? (envelope.httpHost() == null ? 0 : 1)
                : envelope.recipients().size();
        int external = 0;
        for (int i = 0; i < recipientCount; i++) {
            if (!org.isInternalDomain(recipientDomain(i))) {
                external++;
            }
        }
        this.externalCount = external;

        DetectorSettings detector = policy.detector();
        for (Finding f : findings) {
            if (detector.counts(f)) {
                int base = f.type().ordinal() * LEVELS;
                for (int l = f.level().ordinal(); l >= 0; l--) {
                    findingsAtLeast[base + l]++;
                }
            }
        }
        int mask = 0;
        for (Unscannable u : unscannable) {
            mask |= 1 << u.reason().ordinal();
        }
        this.unscannableMask = mask;
    }

    Policy policy() {
        return policy;
    }

    Envelope envelope() {
        return envelope;
    }

    Channel channel() {
        return envelope.channel();
    }

    /** The directory user who sends, found by login, then by address; {@code null} if unknown. */
    User principal() {
        return principal;
    }

    /** The sender's address (directory address if known), lower case; {@code null} if none. */
    String senderAddress() {
        return senderAddress;
    }

    /** Recipients of mail; for an upload the destination host counts as the one recipient. */
    int recipientCount() {
        return recipientCount;
    }

    String recipientDomain(int i) {
        return envelope.channel() == Channel.HTTP ? envelope.httpHost() : envelope.recipientDomain(i);
    }

    int externalCount() {
        return externalCount;
    }

    /** Distinct counted numbers of this type at or above this level. */
    int findings(FindingType type, Level atLeast) {
        return findingsAtLeast[type.ordinal() * LEVELS + atLeast.ordinal()];
    }

    /** Distinct counted numbers of the types in the mask (bit {@code 1 << type.ordinal()}) at or above the level. */
    int findings(int typeMask, Level atLeast) {
        int sum = 0;
        int level = atLeast.ordinal();
        for (int t = 0; typeMask >>> t != 0; t++) {
            if ((typeMask & (1 << t)) != 0) {
                sum += findingsAtLeast[t * LEVELS + level];
            }
        }
        return sum;
    }

    /** Bit {@code 1 << reason.ordinal()} for every unscannable reason that occurred. */
    int unscannableMask() {
        return unscannableMask;
    }

    long nowMillis() {
        return nowMillis;
    }

    /** Whether the flow at this index of the policy fits the message and has not expired (cached). */
    boolean flowMatches(int index) {
        if (flowState == null) {
            flowState = new byte[policy.flows().size()];
        }
        byte state = flowState[index];
        if (state == FLOW_UNKNOWN) {
            Flow flow = policy.flows().get(index);
            state = flow.activeAt(nowMillis) && flow.fits(this) ? FLOW_YES : FLOW_NO;
            flowState[index] = state;
        }
        return state == FLOW_YES;
    }
}
