package jp.mynaguard.policy.rules;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;

/**
 * An allow-listed <em>shape</em> of number, e.g. {@code 9999********} for the dummy numbers of a
 * training manual. A shape fixes at most {@link PolicyLimits#MAX_SHAPE_FIXED_DIGITS} digits, the
 * rest are {@code *}: writing a real number into the policy would make the policy file itself a
 * copy of 特定個人情報, so the loader refuses anything closer to a real number than that.
 *
 * @param shape    digits and {@code *}, separators removed, 12 or 13 characters
 * @param types    kinds of finding the shape applies to
 * @param note     why it is allowed (shown in {@code policy check}), may be empty
 * @param location where the entry was written
 */
public record AllowShape(String shape, Set<FindingType> types, String note, Location location) {
    public AllowShape {
        Objects.requireNonNull(shape, "shape");
        types = OrderedSets.of(FindingType.class, types);
        note = note == null ? "" : note;
        Objects.requireNonNull(location, "location");
    }

    /**
     * Whether the finding's number has this shape. Reads the digits only to compare them here;
     * they are never kept, logged or returned.
     */
    boolean matches(Finding finding) {
        if (!types.contains(finding.type())) {
            return false;
        }
        String value = finding.revealValue();
        if (value.length() != shape.length()) {
            return false;
        }
        for (int i = 0; i < shape.length(); i++) {
            char s = shape.charAt(i);
            if (s != '*' && s != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
