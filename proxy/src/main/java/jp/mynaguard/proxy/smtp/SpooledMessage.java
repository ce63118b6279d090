package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jp.mynaguard.policy.extract.InputSource;

/**
 * One received message as it stands after DATA (with our {@code Received:} and, if it had none,
 * {@code Message-ID:}). Owns its spool file, if any: {@link #close()} deletes it.
 */
public final class SpooledMessage implements AutoCloseable {
    private final InputSource content;
    private final Path file;

    private SpooledMessage(InputSource content, Path file) {
        this.content = content;
        this.file = file;
    }

    public static SpooledMessage ofBytes(byte[] bytes) {
        return new SpooledMessage(InputSource.of(bytes), null);
    }

    static SpooledMessage ofFile(Path file) throws IOException {
        return new SpooledMessage(InputSource.ofFile(file), file);
    }

    public InputSource content() {
        return content;
    }

    public long size() {
        return content.size();
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(SpooledMessage.class).warn("cannot delete spool file {}", file, e);
            }
        }
    }
}
