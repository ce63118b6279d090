package jp.mynaguard.proxy.smtp;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * Collects one message: on the heap up to a threshold, then in a file (created 0600 by
 * {@link Files#createTempFile}). Writes happen on the event loop: they are sequential appends that
 * land in the page cache, far cheaper than handing every chunk to another thread. Closing deletes
 * the file unless {@link #finish()} handed it over. The HTTP proxy spools request bodies with it too.
 */
public final class MessageSpool implements Closeable {
    private final int threshold;
    private final Path directory;
    private final String prefix;
    private byte[] memory = new byte[8192];
    private int memoryLength;
    private Path file;
    private FileChannel channel;
    private long size;

    MessageSpool(int threshold, Path directory) {
        this(threshold, directory, "mynaguard-smtp-");
    }

    /** @param prefix of the spool file's name, which tells what it holds (the gateway removes leftovers by it) */
    public MessageSpool(int threshold, Path directory, String prefix) {
        this.threshold = threshold;
        this.directory = directory;
        this.prefix = prefix;
    }

    public long size() {
        return size;
    }

    void write(byte[] bytes) throws IOException {
        write(ByteBuffer.wrap(bytes));
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    public void write(ByteBuf buf) throws IOException {
        write(buf.nioBuffer());
    }

    private void write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (channel == null && memoryLength + (long) n > threshold) {
            spill();
        }
        if (channel != null) {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } else {
            if (memoryLength + n > memory.length) {
                memory = Arrays.copyOf(memory, Math.min(threshold, Math.max(memory.length * 2, memoryLength + n)));
            }
            src.get(memory, memoryLength, n);
            memoryLength += n;
        }
        size += n;
    }

    private void spill() throws IOException {
        file = directory == null ? Files.createTempFile(prefix, ".eml")
                : Files.createTempFile(Files.createDirectories(directory), prefix, ".eml");
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
        channel.write(ByteBuffer.wrap(memory, 0, memoryLength));
        memory = null;
    }

    /** The collected bytes; the spool is empty afterwards and the message owns any file. */
    public SpooledMessage finish() throws IOException {
        SpooledMessage m;
        if (channel != null) {
            channel.close();
            channel = null;
            m = SpooledMessage.ofFile(file);
            file = null;
        } else {
            m = SpooledMessage.ofBytes(Arrays.copyOf(memory, memoryLength));
        }
        memory = null;
        return m;
    }

    @Override
    public void close() {
        memory = null;
        try {
            if (channel != null) {
                channel.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Nothing to do: the file is in the spool or temp directory and holds no decision.
            org.slf4j.LoggerFactory.getLogger(MessageSpool.class).warn("cannot delete spool file {}", file, e);
        } finally {
            channel = null;
            file = null;
        }
    }
}
