package jp.mynaguard.policy.detect;

import java.util.List;
import java.util.Objects;

/**
 * One distinct number found in one input.
 *
 * <p>The normalised digits are kept in a private field that {@link #toString()}, {@link #equals}
 * and every log or exception message leave out; {@link #revealValue()} is the only way to read
 * them, and only {@code mynaguard scan --reveal} calls it. Everything else works with
 * {@link #masked()}, which holds no digit at all.
 */
public final class Finding {
    private final FindingType type;
    private final Level level;
    private final String location;
    private final List<String> reasons;
    private final String masked;
    private final String value;
    private final int occurrences;

    public Finding(FindingType type, Level level, String location, List<String> reasons,
                   String value, int occurrences) {
        this.type = Objects.requireNonNull(type, "type");
        this.level = Objects.requireNonNull(level, "level");
        this.location = LocationMask.mask(Objects.requireNonNull(location, "location"));
        this.reasons = List.copyOf(reasons);
        this.value = Objects.requireNonNull(value, "value");
        this.masked = mask(type, value);
        this.occurrences = occurrences;
    }

    public FindingType type() {
        return type;
    }

    public Level level() {
        return level;
    }

    /** Where the number was first seen, e.g. {@code body}, {@code attachment:名簿.xlsx/Sheet1!C7}. */
    public String location() {
        return location;
    }

    /** Why it was reported: shape id, check digit, keyword hit, penalties, aggregation rules. */
    public List<String> reasons() {
        return reasons;
    }

    /** A form that shows the shape but no digit, e.g. {@code ****-****-****}. */
    public String masked() {
        return masked;
    }

    /** How often the same number occurred in the input. */
    public int occurrences() {
        return occurrences;
    }

    /**
     * The normalised digits (or, for {@link FindingType#MY_NUMBER_TRUNCATED}, the normalised
     * scientific form). Never log, print or store this; it exists for {@code scan --reveal} only.
     */
    public String revealValue() {
        return value;
    }

    /** Same number with another level, one more reason and a new occurrence count. */
    public Finding with(Level newLevel, List<String> newReasons, int newOccurrences) {
        return new Finding(type, newLevel, location, newReasons, value, newOccurrences);
    }

    /** Identity of the number within one input: type plus digits. Not for display. */
    String key() {
        return type.name() + ':' + value;
    }

    static String mask(FindingType type, String value) {
        switch (type) {
            case MY_NUMBER:
                return "****-****-****";
            case CORPORATE_NUMBER:
                return "*-****-****-****";
            case INVOICE_REG_NO:
                return "T*-****-****-****";
            case MY_NUMBER_TRUNCATED:
            default:
                return "*.*****E+**";
        }
    }

    @Override
    public String toString() {
        return type + " " + level + " " + masked + " at " + location + " " + reasons
                + (occurrences > 1 ? " x" + occurrences : "");
    }
}
