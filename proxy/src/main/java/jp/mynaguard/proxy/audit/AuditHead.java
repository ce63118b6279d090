package jp.mynaguard.proxy.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;

/**
 * The signed head ({@code audit.head}): the newest record's number, hash and file, rewritten after
 * every batch and synced with every checkpoint. Without it, cutting records off the end of the
 * log would leave a shorter chain that is still whole.
 */
record AuditHead(long seq, String hash, String file, String time, String key, boolean signatureValid) {

    /** The head in {@code dir}, or {@code null} if there is none. */
    static AuditHead read(Path dir, PublicKey publicKey) throws IOException {
        Path p = dir.resolve(AuditFiles.HEAD);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> m;
        try {
            m = AuditJson.parse(line);
        } catch (IllegalArgumentException e) {
            return new AuditHead(-1, "", "", "", "", false);
        }
        Object seq = m.get("seq");
        Object sig = m.get("sig");
        boolean valid = publicKey != null && sig instanceof String s && Seal.valid(line, s, publicKey);
        return new AuditHead(seq instanceof Long l ? l : -1, String.valueOf(m.get("hash")), String.valueOf(m.get("file")),
                String.valueOf(m.get("time")), String.valueOf(m.get("key")), valid);
    }

    /** {@code null} when the head matches the newest record, else what is wrong (for the start record). */
    static String compare(Path dir, PublicKey key, long seq, String hash) throws IOException {
        AuditHead h = read(dir, key);
        if (h == null) {
            return seq == 0 ? null : "no head file: whether records were cut off the end can not be told";
        }
        if (!h.signatureValid()) {
            return "the head file's signature is not valid: it was altered";
        }
        if (h.seq() != seq || !h.hash().equals(hash)) {
            return "the head names record " + h.seq() + " in " + h.file() + " but the log ends at record " + seq
                    + (h.seq() > seq ? ": records were removed from the end" : ": the log does not match its head");
        }
        return null;
    }
}
