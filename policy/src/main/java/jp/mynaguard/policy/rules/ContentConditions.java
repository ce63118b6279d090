package jp.mynaguard.policy.rules;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;
import jp.mynaguard.policy.extract.UnscannableReason;

/** Conditions on what is sent: findings, unscannable parts, attachments, size. */
public final class ContentConditions {
    // values() clones its array on every call; evaluation must not allocate.
    private static final UnscannableReason[] REASONS = UnscannableReason.values();

    private ContentConditions() {
    }

    /**
     * {@code findings: {type: [...], min_level: ..., min_count: N}}: at least {@code minCount}
     * distinct numbers of the given types at or above {@code minLevel}. A class rather than a
     * record so the types can also be kept as a bit mask for the per-message test.
     */
    public static final class FindingsAtLeast implements Condition {
        /** The types a {@code findings} condition means when it names none: the sensitive ones. */
        public static final Set<FindingType> SENSITIVE =
                OrderedSets.of(FindingType.class, EnumSet.of(FindingType.MY_NUMBER, FindingType.MY_NUMBER_TRUNCATED));

        private final Set<FindingType> types;
        private final int typeMask;
        private final Level minLevel;
        private final int minCount;

        public FindingsAtLeast(Set<FindingType> types, Level minLevel, int minCount) {
            this.types = OrderedSets.of(FindingType.class, types);
            int mask = 0;
            for (FindingType t : this.types) {
                mask |= 1 << t.ordinal();
            }
            this.typeMask = mask;
            this.minLevel = Objects.requireNonNull(minLevel, "minLevel");
            this.minCount = minCount;
        }

        public Set<FindingType> types() {
            return types;
        }

        public Level minLevel() {
            return minLevel;
        }

        public int minCount() {
            return minCount;
        }

        @Override
        public boolean test(MessageFacts facts) {
            return facts.findings(typeMask, minLevel) >= minCount;
        }

        @Override
        public String describe() {
            return "findings: {type: " + types + ", min_level: " + minLevel + ", min_count: " + minCount + "}";
        }

        @Override
        public String mismatch(MessageFacts facts) {
            int sum = facts.findings(typeMask, minLevel);
            return sum == 0 ? "no such finding" : "only " + sum + " such distinct number" + (sum == 1 ? "" : "s");
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof FindingsAtLeast w && (typeMask & ~w.typeMask) == 0
                    && minLevel.atLeast(w.minLevel) && minCount >= w.minCount;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FindingsAtLeast f && typeMask == f.typeMask && minLevel == f.minLevel
                    && minCount == f.minCount;
        }

        @Override
        public int hashCode() {
            return Objects.hash(typeMask, minLevel, minCount);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** {@code unscannable: true | [reasons]}: some part could not be inspected (for one of the reasons). */
    public record UnscannableAny(Set<UnscannableReason> reasons) implements Condition {
        public UnscannableAny {
            reasons = OrderedSets.of(UnscannableReason.class, reasons);
        }

        public static UnscannableAny anyReason() {
            return new UnscannableAny(EnumSet.allOf(UnscannableReason.class));
        }

        private int mask() {
            int m = 0;
            for (UnscannableReason r : reasons) {
                m |= 1 << r.ordinal();
            }
            return m;
        }

        @Override
        public boolean test(MessageFacts facts) {
            int seen = facts.unscannableMask();
            if (seen == 0) {
                return false;
            }
            for (UnscannableReason r : REASONS) {
                if ((seen & (1 << r.ordinal())) != 0 && reasons.contains(r)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return reasons.size() == UnscannableReason.values().length ? "unscannable: true"
                    : "unscannable: " + reasons.stream().map(UnscannableReason::label).sorted().collect(Collectors.toList());
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return facts.unscannableMask() == 0 ? "everything could be inspected"
                    : "nothing was unscannable for these reasons";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof UnscannableAny w && (mask() & ~w.mask()) == 0;
        }
    }

    /** Which attribute of an attachment an {@link AttachmentMatches} condition looks at. */
    public enum AttachmentPart {
        /** {@code attachment_name: [patterns such as *.zip]} (case-insensitive). */
        NAME("attachment_name", "name"),
        /** {@code attachment_type: [media type patterns such as application/zip, image/*]}. */
        TYPE("attachment_type", "type");

        private final String key;
        private final String noun;

        AttachmentPart(String key, String noun) {
            this.key = key;
            this.noun = noun;
        }

        /** The attribute of attachment {@code i}, in the case its patterns were folded to. */
        String valueOf(Envelope e, int i) {
            return this == NAME ? e.attachmentNameFolded(i) : e.attachments().get(i).contentType();
        }
    }

    /** {@code attachment_name} / {@code attachment_type}: some attachment's name or type matches. */
    public record AttachmentMatches(AttachmentPart part, PatternSet patterns) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            Envelope e = facts.envelope();
            int n = e.attachments().size();
            for (int i = 0; i < n; i++) {
                if (patterns.matchesFolded(part.valueOf(e, i))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return part.key + ": " + patterns;
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return facts.envelope().attachments().isEmpty() ? "no attachment" : "no attachment " + part.noun + " matches";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof AttachmentMatches w && w.part == part && patterns.coveredBy(w.patterns);
        }
    }

    /** {@code message_size_at_least: 10MB}. */
    public record SizeAtLeast(long bytes) implements Condition {
        @Override
        public boolean test(MessageFacts facts) {
            return facts.envelope().size() >= bytes;
        }

        @Override
        public String describe() {
            return "message_size_at_least: " + bytes + " bytes";
        }

        @Override
        public String mismatch(MessageFacts facts) {
            return "the message has " + facts.envelope().size() + " bytes";
        }

        @Override
        public boolean impliesLeaf(Condition weaker) {
            return weaker instanceof SizeAtLeast w && bytes >= w.bytes;
        }
    }
}
