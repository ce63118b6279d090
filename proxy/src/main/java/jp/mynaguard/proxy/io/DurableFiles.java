package jp.mynaguard.proxy.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writing files so that they are either complete and on disk, or absent: content goes to a
 * temporary file in the target directory, is forced to disk, then appears under its final name
 * in one step, and the directory entry is forced to disk too. A reader (or a crash) never sees
 * a half-written file under a final name.
 *
 * <p>The final name is made with a hard link rather than a rename: link(2) is just as atomic
 * but refuses to replace an existing file, so two writers can never overwrite each other's
 * message (Haraka's quarantine does the same). File systems without hard links fall back to
 * an atomic rename after an existence check.
 */
public final class DurableFiles {
    /** Something that writes content to a stream; may throw IOException. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private DurableFiles() {
    }

    /**
     * Writes {@code content} to a new temporary file in {@code dir} (mode 0600 where POSIX),
     * forced to disk before this returns. The caller publishes or deletes it.
     */
    public static Path writeTemp(Path dir, String prefix, Writer content) throws IOException {
        Path tmp = createTemp(dir, prefix);
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            content.writeTo(out);
            out.flush();
            ch.force(true);
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Gives the forced temporary file {@code tmp} its final name {@code target} (same directory)
     * and forces the directory, so the name survives a crash. The temporary name is gone after.
     *
     * @throws FileAlreadyExistsException when {@code target} exists (it is left untouched)
     */
    public static void publish(Path tmp, Path target) throws IOException {
        try {
            try {
                Files.createLink(target, tmp);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException exists) {
                    throw exists;
                }
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries (names created, renamed or removed in it) to disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory as a file; its NTFS journal orders metadata itself.
            if (isPosix(dir)) {
                throw e;
            }
        }
    }

    /** Forces an existing file's content and metadata to disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** A new empty file readable by its owner only (where the file system has POSIX modes). */
    public static Path createTemp(Path dir, String prefix) throws IOException {
        if (isPosix(dir)) {
            return Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
