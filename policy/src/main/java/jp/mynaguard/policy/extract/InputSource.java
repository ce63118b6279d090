package jp.mynaguard.policy.extract;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.google.common.io.ByteStreams;

import jakarta.mail.util.SharedFileInputStream;

/**
 * The bytes of one input or nested file: in memory when small, in a temporary file when larger
 * than the spool threshold, so a 200 MB message never sits on the heap. Closing deletes the
 * temporary file. A caller that already holds the bytes in buffers (the HTTP proxy's receive
 * blocks) lends them with {@link #ofBuffers}: they are read in place.
 */
public final class InputSource implements Closeable {
    private final byte[] bytes;
    private final Path file;
    private final boolean ownsFile;
    private final long size;
    /** Where this source starts in {@link #file} ({@link #slice}). */
    private final long offset;
    /** A window of a larger file: not the whole of {@link #file} (a {@link #slice}). */
    private final boolean window;
    /** Lent buffers ({@link #ofBuffers}); {@link #offset} and {@link #size} window them. */
    private final ByteBuffer[] buffers;
    /** A slice's bytes copied to a file of their own, made when a parser needs a whole file. */
    private InputSource materialized;

    private InputSource(byte[] bytes, Path file, boolean ownsFile, long size) {
        this(bytes, file, ownsFile, size, 0, false, null);
    }

    private InputSource(byte[] bytes, Path file, boolean ownsFile, long size, long offset, boolean window,
                        ByteBuffer[] buffers) {
        this.buffers = buffers;
        this.bytes = bytes;
        this.file = file;
        this.ownsFile = ownsFile;
        this.size = size;
        this.offset = offset;
        this.window = window;
    }

    public static InputSource of(byte[] bytes) {
        return new InputSource(bytes, null, false, bytes.length);
    }

    /**
     * The bytes between position and limit of each buffer, in order, read in place (never
     * written). The caller keeps the buffers valid and unchanged until this source and every
     * slice of it are closed.
     */
    public static InputSource ofBuffers(List<ByteBuffer> buffers) {
        ByteBuffer[] views = new ByteBuffer[buffers.size()];
        long size = 0;
        for (int i = 0; i < views.length; i++) {
            views[i] = buffers.get(i).slice();
            size += views[i].remaining();
        }
        return new InputSource(null, null, false, size, 0, false, views);
    }

    /** An existing file that stays where it is (not deleted on close). */
    public static InputSource ofFile(Path file) throws IOException {
        return new InputSource(null, file, false, Files.size(file));
    }

    /**
     * Reads {@code in} to its end, keeping at most {@code spoolThreshold} bytes in memory and
     * spilling the rest to a temporary file. Stops with {@link LimitExceededException} past
     * {@code maxBytes}.
     */
    public static InputSource spool(InputStream in, int spoolThreshold, long maxBytes) throws IOException {
        byte[] buf = new byte[64 * 1024]; // not smaller with the threshold: a threshold of 0 means "straight to a file"
        byte[] mem = new byte[Math.min(spoolThreshold, 8192)];
        int memLen = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            if (memLen + n > spoolThreshold) {
                return spillToFile(in, Arrays.copyOf(mem, memLen), buf, n, maxBytes);
            }
            if (memLen + n > mem.length) {
                mem = Arrays.copyOf(mem, Math.min(spoolThreshold, Math.max(mem.length * 2, memLen + n)));
            }
            System.arraycopy(buf, 0, mem, memLen, n);
            memLen += n;
            if (memLen > maxBytes) {
                throw new LimitExceededException(UnscannableReason.TOO_LARGE, "more than " + maxBytes + " bytes");
            }
        }
        return of(Arrays.copyOf(mem, memLen));
    }

    private static InputSource spillToFile(InputStream in, byte[] head, byte[] buf, int pending, long maxBytes)
            throws IOException {
        Path tmp = Files.createTempFile("mynaguard-spool-", ".bin");
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(head);
            out.write(buf, 0, pending);
            long total = head.length + (long) pending;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new LimitExceededException(UnscannableReason.TOO_LARGE, "more than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            ok = true;
            return new InputSource(null, tmp, true, total);
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    public long size() {
        return size;
    }

    /**
     * Bytes {@code [from, from + length)} of this source (clamped to its end) without copying a
     * spooled file: reads go to the same file at an offset. Valid while this source is open;
     * closing the slice leaves this source's file alone. In-memory sources are copied (they are
     * below the spool threshold).
     */
    public InputSource slice(long from, long length) {
        long start = Math.min(Math.max(0, from), size);
        long n = Math.min(Math.max(0, length), size - start);
        if (bytes != null) {
            return of(Arrays.copyOfRange(bytes, (int) start, (int) (start + n)));
        }
        if (buffers != null) {
            // Small enough for the heap: a plain array, which every parser reads without a file.
            return n <= Limits.DEFAULT_SPOOL_THRESHOLD_BYTES ? of(copy(start, (int) n))
                    : new InputSource(null, null, false, n, offset + start, true, buffers);
        }
        boolean whole = !window && start == 0 && n == size;
        return new InputSource(null, file, false, n, offset + start, !whole, null);
    }

    public boolean inMemory() {
        return bytes != null;
    }

    /** The bytes when held in memory; {@code null} when spooled (use {@link #file()} or {@link #openStream()}). */
    public byte[] bytesOrNull() {
        return bytes;
    }

    /**
     * The backing file when spooled, holding exactly this source's bytes; {@code null} when in
     * memory. For a slice or lent buffers that is a copy made on first use (parsers of PDF, ZIP
     * and OLE2 need a whole file), deleted with the source.
     */
    public synchronized Path file() throws IOException {
        if (!window && buffers == null) {
            return file;
        }
        if (materialized == null) {
            try (InputStream in = openStream()) {
                materialized = spillToFile(in, new byte[0], new byte[64 * 1024], 0, Long.MAX_VALUE);
            }
        }
        return materialized.file;
    }

    public InputStream openStream() throws IOException {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        if (buffers != null) {
            return new BuffersInputStream(buffers, offset, size);
        }
        if (!window) {
            return Files.newInputStream(file);
        }
        if (materialized != null) {
            return materialized.openStream();
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        return ByteStreams.limit(Channels.newInputStream(ch), size);
    }

    /**
     * A jakarta.mail {@code SharedInputStream} over the content, so MIME parsing makes parts
     * windows on it instead of copies: the array itself (through {@link SharedBytes}, without the
     * per-byte locks of {@code SharedByteArrayInputStream}) or the file read in place.
     */
    public InputStream openShared() throws IOException {
        return bytes != null ? new SharedBytes(bytes) : new SharedFileInputStream(file().toFile());
    }

    private byte[] copy(long from, int n) {
        byte[] out = new byte[n];
        new BuffersInputStream(buffers, offset + from, n).read(out, 0, n); // one read takes all: no partial reads
        return out;
    }

    /** Reads the first {@code n} bytes (fewer if the input is shorter), for format sniffing. */
    public byte[] head(int n) throws IOException {
        if (bytes != null) {
            return Arrays.copyOf(bytes, (int) Math.min(n, bytes.length));
        }
        try (InputStream in = openStream()) {
            return in.readNBytes(n);
        }
    }

    @Override
    public void close() throws IOException {
        if (materialized != null) {
            materialized.close();
        }
        if (ownsFile && file != null) {
            Files.deleteIfExists(file);
        }
    }
}
