package jp.mynaguard.proxy.hold;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jp.mynaguard.proxy.io.DurableFiles;

/**
 * Content as one file per item, {@code DIR/REF.bin} (mode 0600), written to a temporary file,
 * fsynced, linked to its final name and the directory fsynced before {@link #store} returns.
 */
final class FileContentVault implements ContentVault {
    private final Path dir;

    FileContentVault(Path dir) {
        this.dir = dir;
    }

    @Override
    public String store(String referenceId, DurableFiles.Writer writer) throws IOException {
        Path tmp = DurableFiles.writeTemp(dir, ".hold-", writer);
        String name = referenceId + ".bin";
        try {
            DurableFiles.publish(tmp, dir.resolve(name));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("reference id " + referenceId + " is already in the hold store");
        }
        return name;
    }

    @Override
    public InputStream open(String handle) throws IOException {
        return new BufferedInputStream(Files.newInputStream(dir.resolve(handle)), 64 * 1024);
    }

    @Override
    public void delete(String handle) throws IOException {
        if (Files.deleteIfExists(dir.resolve(handle))) {
            DurableFiles.fsyncDirectory(dir);
        }
    }

    @Override
    public int removeOrphans(Set<String> recorded, Instant cutoff) throws IOException {
        FileTime before = FileTime.from(cutoff);
        List<Path> orphans;
        try (Stream<Path> files = Files.list(dir)) {
            orphans = files.filter(f -> !recorded.contains(f.getFileName().toString()))
                    .filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).compareTo(before) < 0;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
        for (Path f : orphans) {
            Files.deleteIfExists(f);
        }
        if (!orphans.isEmpty()) {
            DurableFiles.fsyncDirectory(dir);
        }
        return orphans.size();
    }

    Path file(String referenceId) {
        return dir.resolve(referenceId + ".bin");
    }
}
