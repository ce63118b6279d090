package jp.mynaguard.proxy.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The lines of audit files in order, byte for byte (hashes are over the exact bytes), each with
 * its file and line number and the record parsed from it, or why it could not be.
 */
final class AuditLines implements Iterator<AuditLines.Line>, Closeable {
    /**
     * One line.
     *
     * @param complete false for a last line without its newline (cut off mid-write)
     * @param record   the parsed record, or {@code null} with {@code error} saying why
     */
    record Line(Path file, long number, byte[] bytes, boolean complete, Map<String, Object> record, String error) {
        String where() {
            return file.getFileName() + ":" + number;
        }

        Long seq() {
            return record != null && record.get("seq") instanceof Long l ? l : null;
        }

        String type() {
            return record != null && record.get("type") instanceof String s ? s : null;
        }

        String hash() {
            return TailReader.sha256(bytes, bytes.length);
        }
    }

    private final Iterator<Path> files;
    private Path file;
    private InputStream in;
    private long number;
    private Line next;

    AuditLines(List<Path> files) {
        this.files = files.iterator();
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line l = next;
        next = null;
        return l;
    }

    /** The file being read (after {@link #next()}: that line's file). */
    Path currentFile() {
        return file;
    }

    private Line read() throws IOException {
        while (true) {
            if (in == null) {
                if (!files.hasNext()) {
                    return null;
                }
                file = files.next();
                in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
                number = 0;
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                in.close();
                in = null;
                continue;
            }
            number++;
            byte[] bytes = line.toByteArray();
            boolean complete = b == '\n';
            try {
                return new Line(file, number, bytes, complete, AuditJson.parse(bytes), null);
            } catch (IllegalArgumentException e) {
                return new Line(file, number, bytes, complete, null, e.getMessage());
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
    }
}
