package jp.mynaguard.policy.rules;

/**
 * One test in a rule's {@code when}. Implementations are immutable records compiled at load time;
 * {@link #test} runs per message and must not allocate.
 */
public interface Condition {

    /** Whether the message satisfies this condition. */
    boolean test(MessageFacts facts);

    /** The condition as written in the policy, e.g. {@code external_recipients: any}. */
    String describe();

    /**
     * Why {@link #test} is false for these facts, in words for an admin, e.g. {@code no recipient
     * is external}. Called only to explain a decision, never on the hot path.
     */
    String mismatch(MessageFacts facts);

    /**
     * Whether every message this condition accepts is also accepted by {@code weaker}, judged on
     * the two leaf conditions alone. Must be sound: {@code false} when unsure. Combinations are
     * handled by {@link Conditions#implies}.
     */
    boolean impliesLeaf(Condition weaker);
}
