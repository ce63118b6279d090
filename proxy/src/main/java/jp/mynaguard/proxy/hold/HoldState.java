package jp.mynaguard.proxy.hold;

/**
 * Where a held item is in its life: {@code HELD → (APPROVED → RELEASING → RELEASED | REJECTED |
 * EXPIRED | CANCELLED)}. The store keeps the state in {@link HeldItem#state()} and every change
 * in its transitions table; the workflow that moves items along is the console's.
 */
public enum HoldState {
    HELD, APPROVED, RELEASING, RELEASED, REJECTED, EXPIRED, CANCELLED;

    /** No transition leaves a final state; its content is destroyed after the retention period. */
    public boolean isFinal() {
        return this == RELEASED || this == REJECTED || this == EXPIRED || this == CANCELLED;
    }
}
