package jp.mynaguard.policy.extract;

import jp.mynaguard.policy.detect.TextSegment;

/** Locators that turn a line of a part into a location the approver can find. */
final class Locators {
    private Locators() {
    }

    /** {@code <location>:line N}, 1-based, e.g. {@code attachment:名簿.csv:line 12}. */
    static TextSegment.CellLocator lines(String location) {
        return (line, column) -> location + ":line " + (line + 1);
    }
}
