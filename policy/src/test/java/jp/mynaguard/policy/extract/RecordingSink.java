package jp.mynaguard.policy.extract;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

import jp.mynaguard.policy.detect.TextSegment;

/** Test sink that keeps every segment and unscannable record, with helpers to look at them. */
public final class RecordingSink implements SegmentSink {
    public final List<TextSegment> segments = new ArrayList<>();
    public final List<Unscannable> unscannables = new ArrayList<>();

    @Override
    public void segment(TextSegment segment) {
        segments.add(segment.detached());
    }

    @Override
    public void unscannable(Unscannable unscannable) {
        unscannables.add(unscannable);
    }

    /** All text, segments joined by LF. */
    public String allText() {
        return segments.stream().map(s -> s.text().toString()).collect(Collectors.joining("\n"));
    }

    /** Text of the segments at exactly this location. */
    public String textAt(String location) {
        return segments.stream().filter(s -> s.location().equals(location))
                .map(s -> s.text().toString()).collect(Collectors.joining("\n"));
    }

    public List<String> locations() {
        return segments.stream().map(TextSegment::location).distinct().collect(Collectors.toList());
    }

    /** The shared test corpus (../shared/corpus/cases relative to the repository root). */
    public static Path corpusCase(String name) {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null && !p.resolve("../shared/corpus/cases").toFile().isDirectory()) {
            p = p.getParent();
        }
        if (p == null) {
            // A clone without the shared corpus beside it (CI always has it): skip, and say why.
            Assumptions.abort("../shared/corpus not found above " + Paths.get("").toAbsolutePath()
                    + "; clone the repository beside shared/ to run the corpus tests");
        }
        return p.resolve("../shared/corpus/cases").resolve(name).normalize();
    }
}
