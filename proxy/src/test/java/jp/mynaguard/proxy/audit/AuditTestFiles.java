package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading audit files in tests: lines and parsed records. */
final class AuditTestFiles {
    private AuditTestFiles() {
    }

    static AuditSettings settings(Path dir) {
        return AuditSettings.DEFAULTS.withDir(dir).withCheckpoints(3, java.time.Duration.ofHours(1));
    }

    static AuditSettings utc(AuditSettings s) {
        return new AuditSettings(s.dir(), s.checkpointEvery(), s.checkpointInterval(), s.rotateBytes(),
                s.queueCapacity(), ZoneOffset.UTC, s.syslog(), s.alerts());
    }

    static List<String> lines(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : AuditFiles.list(dir)) {
            out.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<Map<String, Object>> records(Path dir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : lines(dir)) {
            out.add(AuditJson.parse(l.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static String hash(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return TailReader.sha256(b, b.length);
    }
}
