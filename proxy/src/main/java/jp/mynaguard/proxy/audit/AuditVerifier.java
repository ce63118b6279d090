package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks audit files: every record numbered one after the other and chained to the line before,
 * every checkpoint signed by the key, the end of the log where the signed head says it is. Stops
 * at the first problem and says where (file and line) and what it means: a record altered,
 * removed, reordered, or the log cut off.
 */
public final class AuditVerifier {
    private final PublicKey key;
    private final AuditHead head;

    /**
     * @param key  the public signing key, or {@code null} to check the chain only
     * @param head the head to hold the end of the log against, or {@code null}
     */
    AuditVerifier(PublicKey key, AuditHead head) {
        this.key = key;
        this.head = head;
    }

    /** Verifies with the key and head found in {@code dir} (either may be absent). */
    public static AuditVerifier forDirectory(Path dir, Path keyFile, boolean useHead) throws IOException {
        Path pub = keyFile != null ? keyFile : dir.resolve(AuditKey.PUBLIC_FILE);
        PublicKey k = java.nio.file.Files.isRegularFile(pub) ? AuditKey.readPublic(pub) : null;
        if (keyFile != null && k == null) {
            throw new IOException(keyFile + ": no such key file");
        }
        return new AuditVerifier(k, useHead ? AuditHead.read(dir, k) : null);
    }

    /** What the check found; {@code problem == null} when the files are intact. */
    public record Result(String problemAt, String problem, int files, long records, long firstSeq, long lastSeq,
                         String firstTime, String lastTime, int checkpoints, long unsealed, String keyId,
                         List<String> notes) {
        public boolean intact() {
            return problem == null;
        }
    }

    private final class Run {
        final List<String> notes = new ArrayList<>();
        int files;
        long records;
        long firstSeq = -1;
        AuditLines.Line last;
        String lastHash;
        String firstTime;
        int checkpoints;
        long sealedUpTo = -1;
        Path currentFile;

        Result fail(AuditLines.Line at, String what) {
            return result(at == null ? "" : at.where(), what, at != null && at == last);
        }

        Result result(String where, String problem) {
            return result(where, problem, false);
        }

        /** @param lastIsBad the problem is the last record read: it does not count as intact */
        Result result(String where, String problem, boolean lastIsBad) {
            long lastSeq = last == null || last.seq() == null ? -1 : last.seq() - (lastIsBad ? 1 : 0);
            long good = records - (lastIsBad ? 1 : 0);
            String lastTime = last == null || last.record() == null || lastIsBad ? null
                    : String.valueOf(last.record().get("time"));
            return new Result(problem == null ? null : where, problem, files, good, firstSeq, lastSeq, firstTime,
                    lastTime, checkpoints, sealedUpTo < 0 ? good : lastSeq - sealedUpTo,
                    key == null ? null : AuditKey.idOf(key), List.copyOf(notes));
        }
    }

    public Result verify(List<Path> files) throws IOException {
        Run run = new Run();
        if (key == null) {
            run.notes.add("no public key: checkpoint signatures were not checked (give --key audit-signing.pub)");
        }
        try (AuditLines lines = new AuditLines(files)) {
            AuditLines.Line cur = lines.hasNext() ? lines.next() : null;
            while (cur != null) {
                AuditLines.Line next = lines.hasNext() ? lines.next() : null;
                if (!cur.file().equals(run.currentFile)) {
                    run.currentFile = cur.file();
                    run.files++;
                }
                Result r = check(run, cur, next);
                if (r != null) {
                    return r;
                }
                run.records++;
                run.last = cur;
                run.lastHash = cur.hash();
                cur = next;
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        run.files = Math.max(run.files, (int) files.stream().distinct().count());
        if (run.last == null) {
            return run.result("", "no records in the files given");
        }
        Result h = checkHead(run, files);
        return h != null ? h : run.result("", null);
    }

    private Result check(Run run, AuditLines.Line cur, AuditLines.Line next) {
        if (!cur.complete()) {
            return run.fail(cur, "the last line is incomplete: the file was cut off in the middle of a record");
        }
        if (cur.record() == null) {
            return run.fail(cur, "not a record (" + cur.error() + "): the line was altered or damaged");
        }
        Long seq = cur.seq();
        if (seq == null || !(cur.record().get("prev") instanceof String prev) || cur.type() == null
                || !(cur.record().get("time") instanceof String time)) {
            return run.fail(cur, "record without seq, time, type or prev: the line was altered");
        }
        if (run.last == null) {
            run.firstSeq = seq;
            run.firstTime = time;
            if (seq == 1 && !prev.equals(ChainWriter.GENESIS)) {
                return run.fail(cur, "the first record of the trail does not begin the chain: it was altered");
            }
            if (seq > 1) {
                run.notes.add("the files begin at record " + seq + " (" + cur.where()
                        + "); earlier files were not given, so their removal can not be told");
            }
        } else {
            long expected = run.last.seq() + 1;
            if (seq != expected) {
                return sequenceProblem(run, cur, next, seq, expected);
            }
            if (!prev.equals(run.lastHash)) {
                boolean thisOneToo = next != null && next.record() != null && !cur.hash().equals(next.record().get("prev"));
                if (thisOneToo) {
                    return run.fail(cur, "record " + seq + " was altered (its link to the record before is broken,"
                            + " and so is the next record's link to it)");
                }
                return run.fail(run.last, "record " + run.last.seq() + " was altered: its content no longer"
                        + " matches the hash the next record (" + cur.where() + ") holds");
            }
        }
        if (ChainWriter.CHECKPOINT.equals(cur.type())) {
            return checkpoint(run, cur, seq);
        }
        return null;
    }

    private Result sequenceProblem(Run run, AuditLines.Line cur, AuditLines.Line next, long seq, long expected) {
        boolean newFile = !cur.file().equals(run.last.file());
        if (seq > expected) {
            if (next != null && next.seq() != null && next.seq() < seq) {
                return run.fail(cur, "records out of order: record " + seq + " stands where record " + expected
                        + " belongs (lines swapped or moved)");
            }
            String missing = seq - expected == 1 ? "record " + expected + " is missing"
                    : "records " + expected + " to " + (seq - 1) + " are missing";
            if (newFile) {
                Object said = cur.record().get("previousFile");
                return run.fail(cur, missing + " between " + run.last.where() + " and this file"
                        + (said != null && !said.equals(run.last.file().getFileName().toString())
                        ? ": this file follows " + said + ", which was not given or was removed"
                        : ": the end of the file before was cut off"));
            }
            return run.fail(cur, missing + " (removed) before this line");
        }
        return run.fail(cur, "records out of order: record " + seq + " comes after record " + (expected - 1)
                + " (lines swapped, moved or duplicated)");
    }

    private Result checkpoint(Run run, AuditLines.Line cur, long seq) {
        run.checkpoints++;
        Object sig = cur.record().get("sig");
        Object from = cur.record().get("from");
        Object records = cur.record().get("records");
        if (!(sig instanceof String s) || !(from instanceof Long f) || !(records instanceof Long n)
                || f + n != seq) {
            return run.fail(cur, "checkpoint with missing or inconsistent fields: it was altered");
        }
        if (key != null) {
            if (!AuditKey.idOf(key).equals(cur.record().get("key"))) {
                return run.fail(cur, "checkpoint signed by key " + cur.record().get("key") + ", not by "
                        + AuditKey.idOf(key) + ": the wrong key was given, or the trail was re-signed");
            }
            if (!Seal.valid(cur.bytes(), s, key)) {
                return run.fail(cur, "checkpoint signature does not verify: the checkpoint was altered, or the"
                        + " records before it were rewritten and re-chained");
            }
        }
        run.sealedUpTo = seq;
        return null;
    }

    private Result checkHead(Run run, List<Path> files) {
        long lastSeq = run.last.seq();
        long unsealed = run.sealedUpTo < 0 ? run.records : lastSeq - run.sealedUpTo;
        if (unsealed > 0) {
            run.notes.add(unsealed + " record(s) after the last checkpoint are not sealed yet");
        }
        if (head == null) {
            run.notes.add("no head file: whether records were cut off the end can not be told");
            return null;
        }
        boolean headFileGiven = files.stream().anyMatch(f -> f.getFileName().toString().equals(head.file()));
        if (!head.signatureValid()) {
            return run.result(AuditFiles.HEAD, key == null ? "the head can not be checked without the public key"
                    : "the head's signature does not verify: audit.head was altered");
        }
        if (!headFileGiven) {
            if (head.seq() > lastSeq) {
                run.notes.add("the head names record " + head.seq() + " in " + head.file()
                        + ", which was not given: the check ends at record " + lastSeq);
            }
            return null;
        }
        if (head.seq() > lastSeq) {
            return run.result(run.last.where(), "the log ends at record " + lastSeq + " but the signed head names record "
                    + head.seq() + " in " + head.file() + ": " + (head.seq() - lastSeq)
                    + " record(s) were cut off the end");
        }
        if (head.seq() == lastSeq && !head.hash().equals(run.lastHash)) {
            return run.result(run.last.where(), "record " + lastSeq + " was altered: it is not the record the signed head names");
        }
        if (head.seq() < lastSeq) {
            run.notes.add("the head names record " + head.seq() + ", the log goes on to " + lastSeq
                    + " (the head was not updated: the gateway stopped abruptly?)");
        }
        return null;
    }
}
