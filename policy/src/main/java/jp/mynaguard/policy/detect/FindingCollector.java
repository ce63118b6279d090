package jp.mynaguard.policy.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gathers the findings of one input (message, upload, file) over all its segments and applies
 * the input-wide rules of §6.6: deduplication, the column rule A3 and the two-numbers rule A2.
 * One per input; not thread-safe.
 */
public final class FindingCollector {
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Column, int[]> columns = new HashMap<>();
    private int sequence;

    public FindingCollector() {
    }

    /**
     * One occurrence of a number. The location is asked from the segment only for the first
     * occurrence of a number. {@code tableId} is {@code null} outside tables.
     */
    void add(FindingType type, Level level, List<String> reasons, String value, TextSegment segment,
             int line, int column, String tableId) {
        String key = type.name() + ':' + value;
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(type, value, segment.locate(line, column), sequence++);
            e.level = level;
            e.reasons = reasons;
            entries.put(key, e);
        } else if (level.compareTo(e.level) > 0) {
            e.level = level;
            e.reasons = reasons;
        }
        e.occurrences++;
        if (tableId != null) {
            Column c = new Column(tableId, column);
            if (!e.columns.contains(c)) {
                e.columns.add(c);
            }
        }
    }

    /** A3 statistics: one twelve-digit value in a table column, valid or not. */
    void countColumnValue(String tableId, int column, boolean valid) {
        int[] stats = columns.computeIfAbsent(new Column(tableId, column), c -> new int[2]);
        stats[0]++;
        if (valid) {
            stats[1]++;
        }
    }

    /**
     * The findings so far: deduplicated by (type, value), highest level, first location, then A3
     * (a column of mostly valid My Numbers makes all of its numbers HIGH) and A2 (two or more
     * distinct My Numbers at MEDIUM or above become HIGH). A3 goes first because its HIGH
     * findings count for A2. Sorted by type, then location. May be called again after more scans.
     */
    public List<Finding> finish() {
        List<Entry> list = new ArrayList<>(entries.values());
        Level[] levels = new Level[list.size()];
        List<List<String>> reasons = new ArrayList<>(list.size());
        int mediumOrAbove = 0;
        for (int i = 0; i < list.size(); i++) {
            Entry e = list.get(i);
            levels[i] = e.level;
            List<String> r = new ArrayList<>(e.reasons);
            if (e.type == FindingType.MY_NUMBER && e.level != Level.HIGH && inQualifyingColumn(e)) {
                levels[i] = Level.HIGH;
                r.add("column-rule");
            }
            reasons.add(r);
            if (e.type == FindingType.MY_NUMBER && levels[i].atLeast(Level.MEDIUM)) {
                mediumOrAbove++;
            }
        }
        List<Sorted> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Entry e = list.get(i);
            boolean a2 = mediumOrAbove >= DetectorConfig.A2_MIN_NUMBERS;
            if (a2 && e.type == FindingType.MY_NUMBER && levels[i] == Level.MEDIUM) {
                levels[i] = Level.HIGH;
                reasons.get(i).add("A2");
            }
            out.add(new Sorted(new Finding(e.type, levels[i], e.location, reasons.get(i), e.value, e.occurrences),
                    e.sequence));
        }
        out.sort(Comparator.comparing((Sorted s) -> s.finding.type())
                .thenComparing((a, b) -> NaturalOrder.compare(a.finding.location(), b.finding.location()))
                .thenComparingInt(s -> s.sequence));
        List<Finding> result = new ArrayList<>(out.size());
        for (Sorted s : out) {
            result.add(s.finding);
        }
        return result;
    }

    private boolean inQualifyingColumn(Entry e) {
        for (Column c : e.columns) {
            int[] stats = columns.get(c);
            if (stats != null && stats[0] >= DetectorConfig.COLUMN_RULE_MIN_VALUES
                    && stats[1] * 100L >= (long) stats[0] * DetectorConfig.COLUMN_RULE_MIN_VALID_PERCENT) {
                return true;
            }
        }
        return false;
    }

    private record Column(String tableId, int column) {
    }

    private record Sorted(Finding finding, int sequence) {
    }

    private static final class Entry {
        final FindingType type;
        final String value;
        final String location;
        final int sequence;
        final List<Column> columns = new ArrayList<>(1);
        Level level;
        List<String> reasons;
        int occurrences;

        Entry(FindingType type, String value, String location, int sequence) {
            this.type = Objects.requireNonNull(type);
            this.value = value;
            this.location = location;
            this.sequence = sequence;
        }

        @Override
        public String toString() {
            return type + " " + level + " at " + location; // never the value
        }
    }

    /** Orders {@code row9} before {@code row10}: digit runs compare by numeric value. */
    static final class NaturalOrder {
        private NaturalOrder() {
        }

        static int compare(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                char x = a.charAt(i);
                char y = b.charAt(j);
                if (isDigit(x) && isDigit(y)) {
                    int si = i;
                    int sj = j;
                    while (si < a.length() && a.charAt(si) == '0') {
                        si++;
                    }
                    while (sj < b.length() && b.charAt(sj) == '0') {
                        sj++;
                    }
                    int ei = si;
                    int ej = sj;
                    while (ei < a.length() && isDigit(a.charAt(ei))) {
                        ei++;
                    }
                    while (ej < b.length() && isDigit(b.charAt(ej))) {
                        ej++;
                    }
                    if (ei - si != ej - sj) {
                        return Integer.compare(ei - si, ej - sj);
                    }
                    int c = a.substring(si, ei).compareTo(b.substring(sj, ej));
                    if (c != 0) {
                        return c;
                    }
                    i = ei;
                    j = ej;
                } else {
                    if (x != y) {
                        return Character.compare(x, y);
                    }
                    i++;
                    j++;
                }
            }
            return Integer.compare(a.length() - i, b.length() - j);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
