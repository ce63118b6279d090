package jp.mynaguard.proxy.hold;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jp.mynaguard.proxy.io.DurableFiles;

/**
 * The embedded hold store: {@code DATA_DIR/hold/hold.db} (SQLite) and one encrypted content file
 * per item in {@code DATA_DIR/hold/content/}, under the master key {@code DATA_DIR/master.key}.
 *
 * <p>Each item gets a fresh AES-256 data key. The content is encrypted with it
 * ({@link ContentCipher}), and so are the exact sender and recipients; the data key is stored
 * wrapped by the master key ({@link MasterKey}). The plain columns hold only what listing needs,
 * masked ({@link MetadataMask}). Deleting an item's wrapped key destroys its content for good.
 *
 * <p>{@link #hold} is durable when it returns: content file written and fsynced, published
 * under its final name and the directory fsynced, then the row committed with SQLite in WAL
 * mode and {@code synchronous=FULL}. A crash at any point before leaves at most an orphan file,
 * which a later open removes.
 */
public final class SqliteHoldStore implements HoldStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteHoldStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Reference ids become file names: nothing that could leave the content directory. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Files younger than this may belong to a hold() in progress in another process. */
    static final Duration ORPHAN_AGE = Duration.ofHours(1);
    private static final String META_KEY_ID = "master_key_id";

    private final Path dataDir;
    private final Path contentDir;
    private final MasterKey masterKey;
    private final HoldDatabase db;

    private SqliteHoldStore(Path dataDir, Path contentDir, MasterKey masterKey, HoldDatabase db) {
        this.dataDir = dataDir;
        this.contentDir = contentDir;
        this.masterKey = masterKey;
        this.db = db;
    }

    /**
     * Opens (creating on first start) the store under {@code dataDir}: {@code hold/} (mode 0700),
     * the database, and the master key file {@code master.key} (mode 0600) when there is no
     * store yet. A store whose key file is missing or different is refused with a clear error
     * rather than given a new key that could read none of its items.
     */
    public static SqliteHoldStore open(Path dataDir) throws IOException {
        Path holdDir = dataDir.resolve("hold");
        Path contentDir = holdDir.resolve("content");
        createPrivateDirectories(dataDir, holdDir, contentDir);
        HoldDatabase db = HoldDatabase.open(holdDir.resolve("hold.db"));
        try {
            Optional<String> expectedKeyId = db.meta(META_KEY_ID);
            MasterKey key = MasterKey.loadOrCreate(dataDir.resolve("master.key"), expectedKeyId.isEmpty());
            if (expectedKeyId.isEmpty()) {
                db.putMeta(META_KEY_ID, key.id());
            } else if (!expectedKeyId.get().equals(key.id())) {
                throw new IOException("the master key in " + dataDir.resolve("master.key")
                        + " is not the one this hold store was created with; its items cannot be decrypted with it");
            }
            SqliteHoldStore store = new SqliteHoldStore(dataDir, contentDir, key, db);
            store.removeOrphans();
            return store;
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e instanceof IOException io ? io : new IOException("cannot open the hold store: " + e.getMessage(), e);
        }
    }

    /** Whether a store exists under {@code dataDir} (for commands that should not create one). */
    public static boolean exists(Path dataDir) {
        return Files.exists(dataDir.resolve("hold").resolve("hold.db"));
    }

    @Override
    public HeldItem hold(HoldRequest request) throws IOException {
        String ref = request.referenceId();
        if (!SAFE_ID.matcher(ref).matches()) {
            throw new IllegalArgumentException("reference id unusable as a file name");
        }
        byte[] rawKey = new byte[MasterKey.KEY_BYTES];
        RANDOM.nextBytes(rawKey);
        SecretKey dataKey = new SecretKeySpec(rawKey, "AES");
        try {
            ContentCipher.Sealed[] sealed = new ContentCipher.Sealed[1];
            Path tmp = DurableFiles.writeTemp(contentDir, ".hold-", out -> {
                try (InputStream in = request.content().openStream()) {
                    sealed[0] = ContentCipher.encrypt(in, out, dataKey, ref);
                }
            });
            String fileName = ref + ".bin";
            Path file = contentDir.resolve(fileName);
            try {
                DurableFiles.publish(tmp, file);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("reference id " + ref + " is already in the hold store");
            }
            Instant received = request.receivedAt().truncatedTo(ChronoUnit.MILLIS);
            Instant releaseAfter = request.releaseAfter() == null ? null
                    : request.releaseAfter().truncatedTo(ChronoUnit.MILLIS);
            HoldDatabase.Row row = new HoldDatabase.Row(ref, request.kind(), HoldState.HELD.name(), request.channel(),
                    MetadataMask.mask(request.sender()), request.recipients().size(), MetadataMask.mask(request.rule()),
                    request.policyVersion(), MetadataMask.mask(request.findingsSummary()), received, releaseAfter,
                    sealed[0].size(), sealed[0].sha256(), fileName, masterKey.id(), masterKey.wrap(rawKey, ref),
                    Envelopes.seal(dataKey, ref, request.sender(), request.recipients()));
            try {
                db.insert(row, Instant.now());
            } catch (SQLException e) {
                Files.deleteIfExists(file);
                DurableFiles.fsyncDirectory(contentDir);
                throw new IOException("cannot record held item " + ref + ": " + e.getMessage(), e);
            }
            return item(row, request.sender(), request.recipients());
        } finally {
            Arrays.fill(rawKey, (byte) 0);
        }
    }

    @Override
    public List<HeldItem> list(int limit) throws IOException {
        try {
            List<HeldItem> out = new ArrayList<>();
            for (HoldDatabase.Row r : db.list(limit)) {
                out.add(decrypted(r));
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("cannot list held items: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<HeldItem> find(String referenceId) throws IOException {
        try {
            Optional<HoldDatabase.Row> row = db.find(referenceId);
            return row.isEmpty() ? Optional.empty() : Optional.of(decrypted(row.get()));
        } catch (SQLException e) {
            throw new IOException("cannot read held item: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<HeldItem> consumeApproval(String sender, String host, String contentSha256, Instant approvedSince)
            throws IOException {
        try {
            for (HoldDatabase.Row r : db.approved("http", contentSha256, approvedSince)) {
                HeldItem item = decrypted(r);
                boolean sameSender = item.sender().equalsIgnoreCase(sender);
                boolean sameHost = item.recipients().size() == 1 && item.recipients().get(0).equalsIgnoreCase(host);
                if (sameSender && sameHost && db.transition(r.referenceId(), HoldState.APPROVED, HoldState.RELEASED,
                        Instant.now(), "gateway", "approved upload sent again")) {
                    return Optional.of(new HeldItem(item.referenceId(), item.kind(), HoldState.RELEASED.name(),
                            item.channel(), item.sender(), item.recipients(), item.rule(), item.policyVersion(),
                            item.findingsSummary(), item.receivedAt(), item.releaseAfter(), item.sizeBytes(),
                            item.contentSha256()));
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new IOException("cannot consume an approval: " + e.getMessage(), e);
        }
    }

    /**
     * The item's content, decrypted and checked segment by segment, and at its end against
     * {@link HeldItem#contentSha256()}. Any damage, tampering or wrong key is an IOException,
     * possibly after some bytes were read: a consumer must not act on content it did not read
     * to the end without error.
     */
    public InputStream openContent(String referenceId) throws IOException {
        HoldDatabase.Row r = row(referenceId);
        if (r.contentFile() == null || r.wrappedKey() == null) {
            throw new IOException("the content of held item " + referenceId + " has been destroyed");
        }
        SecretKey key = dataKey(r);
        InputStream file = new BufferedInputStream(Files.newInputStream(contentDir.resolve(r.contentFile())), 64 * 1024);
        try {
            return ContentCipher.decrypt(file, key, referenceId, r.contentSha256());
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** State changes of an item, oldest first, as {@code "FROM>TO"} ({@code ">HELD"} for the first). */
    public List<String> transitions(String referenceId) throws IOException {
        try {
            return db.transitions(referenceId);
        } catch (SQLException e) {
            throw new IOException("cannot read transitions: " + e.getMessage(), e);
        }
    }

    public Path dataDirectory() {
        return dataDir;
    }

    Path contentFile(String referenceId) {
        return contentDir.resolve(referenceId + ".bin");
    }

    HoldDatabase database() {
        return db;
    }

    @Override
    public void close() throws IOException {
        db.close();
    }

    private HoldDatabase.Row row(String referenceId) throws IOException {
        try {
            return db.find(referenceId).orElseThrow(() -> new IOException("no held item " + referenceId));
        } catch (SQLException e) {
            throw new IOException("cannot read held item: " + e.getMessage(), e);
        }
    }

    private SecretKey dataKey(HoldDatabase.Row r) throws IOException {
        if (!r.keyId().equals(masterKey.id())) {
            throw new IOException("held item " + r.referenceId() + " was stored under another master key");
        }
        byte[] raw = masterKey.unwrap(r.wrappedKey(), r.referenceId());
        try {
            return new SecretKeySpec(raw, "AES");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private HeldItem decrypted(HoldDatabase.Row r) throws IOException {
        if (r.wrappedKey() == null) {
            // Content destroyed after retention: the exact envelope went with it.
            return item(r, r.senderDisplay(), List.of());
        }
        List<String> envelope = Envelopes.open(dataKey(r), r.referenceId(), r.envelope());
        return item(r, envelope.get(0), envelope.subList(1, envelope.size()));
    }

    private static HeldItem item(HoldDatabase.Row r, String sender, List<String> recipients) {
        return new HeldItem(r.referenceId(), r.kind(), r.state(), r.channel(), sender, recipients, r.rule(),
                r.policyVersion(), r.findingsSummary(), r.receivedAt(), r.releaseAfter(), r.sizeBytes(),
                r.contentSha256());
    }

    /** Removes temporary and unrecorded content files left by a crash (old enough not to be in progress). */
    private void removeOrphans() throws IOException, SQLException {
        Set<String> recorded = db.contentFiles();
        FileTime cutoff = FileTime.from(Instant.now().minus(ORPHAN_AGE));
        List<Path> orphans;
        try (Stream<Path> files = Files.list(contentDir)) {
            orphans = files.filter(f -> !recorded.contains(f.getFileName().toString()))
                    .filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).compareTo(cutoff) < 0;
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
            DurableFiles.fsyncDirectory(contentDir);
            LOG.info("hold store {}: removed {} unrecorded content file(s) left by an interrupted hold", dataDir,
                    orphans.size());
        }
    }

    /** Creates missing directories (0700) and makes their names durable in their parents. */
    private static void createPrivateDirectories(Path... dirs) throws IOException {
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                continue;
            }
            if (d.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(d);
            }
            Path parent = d.toAbsolutePath().getParent();
            if (parent != null) {
                DurableFiles.fsyncDirectory(parent);
            }
        }
    }

    /** The exact sender and recipients, sealed under the item's data key (they may contain anything). */
    static final class Envelopes {
        private Envelopes() {
        }

        static byte[] seal(SecretKey key, String ref, String sender, List<String> recipients) throws IOException {
            String text = sender + "\n" + String.join("\n", recipients);
            return ContentCipher.sealBlob(key, aad(ref), text.getBytes(StandardCharsets.UTF_8));
        }

        static List<String> open(SecretKey key, String ref, byte[] sealed) throws IOException {
            String text = new String(ContentCipher.openBlob(key, aad(ref), sealed), StandardCharsets.UTF_8);
            List<String> parts = List.of(text.split("\n", -1));
            return parts.size() == 2 && parts.get(1).isEmpty() ? List.of(parts.get(0)) : parts;
        }

        private static byte[] aad(String ref) {
            return ("mynaguard-envelope-v1:" + ref).getBytes(StandardCharsets.UTF_8);
        }
    }
}
