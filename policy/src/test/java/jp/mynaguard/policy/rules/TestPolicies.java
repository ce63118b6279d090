package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

import jp.mynaguard.policy.detect.Finding;
import jp.mynaguard.policy.detect.FindingType;
import jp.mynaguard.policy.detect.Level;

/** Helpers shared by the rules tests: real files in a temp directory, a fixed clock, synthetic findings. */
final class TestPolicies {
    /** 2026-11-27 10:00 in Tokyo. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneId.of("Asia/Tokyo"));

    private TestPolicies() {
    }

    static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LoadResult load(Path file) {
        return new PolicyLoader(CLOCK).load(file);
    }

    static Policy loadOk(Path file) {
        LoadResult r = load(file);
        assertTrue(r.ok(), () -> "expected a valid policy, got:\n" + lines(r.diagnostics()));
        return r.policy().orElseThrow();
    }

    static String lines(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }

    /**
     * A finding with a synthetic value. Values are made-up digit strings (not checked, never real);
     * shapes in the allow-list tests compare against them.
     */
    static Finding finding(FindingType type, Level level, String value) {
        return new Finding(type, level, "body", List.of("test"), value, 1);
    }

    static Finding myNumber(Level level) {
        return finding(FindingType.MY_NUMBER, level, "10000000000" + (char) ('0' + level.ordinal()));
    }

    static Finding myNumber(Level level, int i) {
        return finding(FindingType.MY_NUMBER, level, String.format("2%011d", i));
    }
}
