package jp.mynaguard.policy.extract;

import java.util.Objects;

/**
 * Content that could not be inspected: where, and why.
 *
 * @param location e.g. {@code attachment:給与.zip/list.csv}
 * @param reason   why
 * @param detail   a short human explanation without any content (e.g. "entry is ZipCrypto encrypted")
 */
public record Unscannable(String location, UnscannableReason reason, String detail) {
    public Unscannable {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
