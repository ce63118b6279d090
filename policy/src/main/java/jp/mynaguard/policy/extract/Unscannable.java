package jp.mynaguard.policy.extract;

import java.util.Objects;

import jp.mynaguard.policy.detect.LocationMask;

/**
 * Content that could not be inspected: where, and why.
 *
 * @param location e.g. {@code attachment:給与.zip/list.csv}; long digit runs are masked (see {@link LocationMask})
 * @param reason   why
 * @param detail   a short human explanation without any content (e.g. "entry is ZipCrypto encrypted")
 */
public record Unscannable(String location, UnscannableReason reason, String detail) {
    public Unscannable {
        location = LocationMask.mask(Objects.requireNonNull(location, "location"));
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
