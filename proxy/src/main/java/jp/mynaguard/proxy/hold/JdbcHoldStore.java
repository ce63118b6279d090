package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;

/**
 * The hold store over JDBC, the same for SQLite ({@link SqliteHoldStore}) and PostgreSQL
 * ({@link PostgresHoldStore}); they differ in how they connect and where ciphertext lives
 * ({@link ContentVault}).
 *
 * <p>Each item gets a fresh AES-256 data key. The content is encrypted with it
 * ({@link ContentCipher}), and so are the exact sender and recipients, the subject, the
 * attachment names and the external recipients; the data key is stored wrapped by the master
 * key ({@link MasterKey}). Plain columns hold only what listing and the workflow need, masked
 * ({@link MetadataMask}). Deleting an item's wrapped key destroys its content for good.
 */
public class JdbcHoldStore implements HoldStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Reference ids become file names and keys: nothing that could leave the content directory. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String META_KEY_ID = "master_key_id";

    private final HoldDatabase db;
    private final ContentVault vault;
    private final MasterKey masterKey;

    JdbcHoldStore(HoldDatabase db, ContentVault vault, MasterKey masterKey) {
        this.db = db;
        this.vault = vault;
        this.masterKey = masterKey;
    }

    /**
     * The master key for {@code db}: the file is created only for a database that has no items
     * under any key yet; a key whose id differs from the one recorded is refused with a clear error
     * rather than used to write items no other instance could read.
     */
    static MasterKey masterKey(HoldDatabase db, Path keyFile) throws IOException, SQLException {
        Optional<String> expected = db.meta(META_KEY_ID);
        MasterKey key = MasterKey.loadOrCreate(keyFile, expected.isEmpty());
        String recorded = expected.isPresent() ? expected.get() : db.putMetaIfAbsent(META_KEY_ID, key.id());
        if (!recorded.equals(key.id())) {
            throw new IOException("the master key in " + keyFile + " is not the one this hold store was created with;"
                    + " its items cannot be decrypted with it");
        }
        return key;
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
            String handle = vault.store(ref, out -> {
                try (InputStream in = request.content().openStream()) {
                    sealed[0] = ContentCipher.encrypt(in, out, dataKey, ref);
                }
            });
            HoldDetails d = request.details();
            List<String> approvers = lower(d.approvers());
            List<String> backups = lower(d.backupApprovers());
            ItemRow.New row = new ItemRow.New(ref, request.kind(), request.channel(), MetadataMask.mask(request.sender()),
                    request.recipients().size(), MetadataMask.mask(request.rule()), request.policyVersion(),
                    MetadataMask.mask(request.findingsSummary()), millis(request.receivedAt()),
                    request.releaseAfter() == null ? null : millis(request.releaseAfter()), sealed[0].size(),
                    sealed[0].sha256(), handle, masterKey.id(), masterKey.wrap(rawKey, ref),
                    Sealing.envelope(dataKey, ref, request.sender(), request.recipients()),
                    Sealing.seal(dataKey, "details", ref, DetailsCodec.sealedJson(d)),
                    DetailsCodec.findingsJson(d.findings()), DetailsCodec.approversJson(approvers, backups), approvers,
                    backups, millisOrNull(d.remindAt()), millisOrNull(d.escalateAt()), millisOrNull(d.expiresAt()),
                    d.onExpiry().name(), flags(d));
            try {
                db.insert(row, Instant.now());
            } catch (SQLException e) {
                vault.delete(handle);
                throw new IOException("cannot record held item " + ref + ": " + e.getMessage(), e);
            }
            return find(ref).orElseThrow(() -> new IOException("held item " + ref + " vanished after it was recorded"));
        } finally {
            Arrays.fill(rawKey, (byte) 0);
        }
    }

    @Override
    public List<HeldItem> list(int limit) throws IOException {
        List<HeldItem> out = new ArrayList<>();
        for (StoredItem s : query(ItemQuery.all(limit))) {
            out.add(s.item());
        }
        return out;
    }

    @Override
    public Optional<HeldItem> find(String referenceId) throws IOException {
        return entry(referenceId).map(StoredItem::item);
    }

    @Override
    public InputStream openContent(String referenceId) throws IOException {
        ItemRow r = row(referenceId);
        if (r.contentFile() == null || r.wrappedKey() == null) {
            throw new IOException("the content of held item " + referenceId + " has been destroyed");
        }
        SecretKey key = dataKey(r);
        InputStream stored = vault.open(r.contentFile());
        try {
            return ContentCipher.decrypt(stored, key, referenceId, r.contentSha256());
        } catch (IOException e) {
            stored.close();
            throw e;
        }
    }

    @Override
    public List<HoldWorkflow.Transition> transitions(String referenceId) throws IOException {
        try {
            return db.changes().transitions(referenceId);
        } catch (SQLException e) {
            throw new IOException("cannot read transitions: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredItem> entry(String referenceId) throws IOException {
        try {
            Optional<ItemRow> r = db.find(referenceId);
            return r.isEmpty() ? Optional.empty() : Optional.of(stored(r.get()));
        } catch (SQLException e) {
            throw new IOException("cannot read held item: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredItem> query(ItemQuery query) throws IOException {
        try {
            return stored(db.query(query));
        } catch (SQLException e) {
            throw new IOException("cannot read held items: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredItem> due(ItemQuery.Due what, Instant now, int limit) throws IOException {
        try {
            return stored(db.due(what, now, limit));
        } catch (SQLException e) {
            throw new IOException("cannot read due held items: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredItem> apply(StateChange change) throws IOException {
        Map<StateChange.Field, Object> values = new EnumMap<>(StateChange.Field.class);
        for (Map.Entry<StateChange.Field, Object> e : change.sets().entrySet()) {
            Object v = e.getValue();
            if (e.getKey() == StateChange.Field.REMAINING_RECIPIENTS && v != null) {
                @SuppressWarnings("unchecked")
                List<String> rcpts = (List<String>) v;
                ItemRow r = row(change.referenceId());
                v = Sealing.seal(dataKey(r), "remaining", r.referenceId(),
                        String.join("\n", rcpts).getBytes(StandardCharsets.UTF_8));
            } else if (e.getKey() == StateChange.Field.LAST_ERROR && v != null) {
                v = clip(MetadataMask.mask((String) v), HoldLimits.MAX_ERROR_CHARS);
            }
            values.put(e.getKey(), v);
        }
        StateChange masked = new StateChange(change.referenceId(), change.from(), change.rowVersion(), change.to(),
                change.action(), change.actor(), maskComment(change.comment()), change.at(), change.sets());
        try {
            if (!db.changes().apply(masked, values)) {
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException("cannot change held item " + change.referenceId() + ": " + e.getMessage(), e);
        }
        return entry(change.referenceId());
    }

    @Override
    public void record(String referenceId, String action, String actor, String comment, Instant at) throws IOException {
        try {
            db.changes().record(referenceId, action, actor, maskComment(comment), at);
        } catch (SQLException e) {
            throw new IOException("cannot record the action on held item " + referenceId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredItem> claimReleases(String owner, Instant now, Instant leaseUntil, int limit) throws IOException {
        List<String> refs;
        try {
            refs = db.changes().claimReleases(owner, now, leaseUntil, limit);
        } catch (SQLException e) {
            throw new IOException("cannot claim releases: " + e.getMessage(), e);
        }
        List<StoredItem> out = new ArrayList<>();
        for (String ref : refs) {
            entry(ref).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public boolean destroyContent(String referenceId, String actor, Instant at) throws IOException {
        Optional<String> handle;
        try {
            handle = db.changes().destroyKey(referenceId, actor, at);
        } catch (SQLException e) {
            throw new IOException("cannot destroy the key of held item " + referenceId + ": " + e.getMessage(), e);
        }
        if (handle.isEmpty()) {
            return false;
        }
        // The key is gone (committed): the ciphertext is unreadable from here on; now remove it too.
        if (!handle.get().isEmpty()) {
            vault.delete(handle.get());
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        db.close();
    }

    HoldDatabase database() {
        return db;
    }

    /** Removes content no row refers to that was written before {@code cutoff}. */
    int removeOrphans(Instant cutoff) throws IOException {
        try {
            return vault.removeOrphans(db.contentHandles(), cutoff);
        } catch (SQLException e) {
            throw new IOException("cannot list held content: " + e.getMessage(), e);
        }
    }

    private ItemRow row(String referenceId) throws IOException {
        try {
            return db.find(referenceId).orElseThrow(() -> new IOException("no held item " + referenceId));
        } catch (SQLException e) {
            throw new IOException("cannot read held item: " + e.getMessage(), e);
        }
    }

    private SecretKey dataKey(ItemRow r) throws IOException {
        if (r.wrappedKey() == null) {
            throw new IOException("the content of held item " + r.referenceId() + " has been destroyed");
        }
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

    private List<StoredItem> stored(List<ItemRow> rows) throws IOException {
        List<StoredItem> out = new ArrayList<>(rows.size());
        for (ItemRow r : rows) {
            out.add(stored(r));
        }
        return out;
    }

    private StoredItem stored(ItemRow r) throws IOException {
        String sender = r.senderDisplay();
        List<String> recipients = List.of();
        DetailsCodec.Sealed sealed = new DetailsCodec.Sealed("", List.of(), List.of());
        List<String> remaining = null;
        if (r.wrappedKey() != null) {
            SecretKey key = dataKey(r);
            List<String> envelope = Sealing.openEnvelope(key, r.referenceId(), r.envelope());
            sender = envelope.get(0);
            recipients = envelope.subList(1, envelope.size());
            if (r.details() != null) {
                sealed = DetailsCodec.readSealed(Sealing.open(key, "details", r.referenceId(), r.details()));
            }
            if (r.remaining() != null) {
                String text = new String(Sealing.open(key, "remaining", r.referenceId(), r.remaining()),
                        StandardCharsets.UTF_8);
                remaining = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
            }
        }
        HeldItem item = new HeldItem(r.referenceId(), r.kind(), r.state(), r.channel(), sender, recipients, r.rule(),
                r.policyVersion(), r.findingsSummary(), r.receivedAt(), r.releaseAfter(), r.sizeBytes(),
                r.contentSha256());
        DetailsCodec.Approvers approvers = DetailsCodec.readApprovers(r.approvers());
        String flags = r.flags() == null ? "" : r.flags();
        HoldDetails details = new HoldDetails(sealed.subject(), sealed.attachments(),
                DetailsCodec.readFindings(r.findings()), approvers.primary(), approvers.backup(),
                sealed.externalRecipients(), r.remindAt(), r.escalateAt(), r.expiresAt(),
                r.expiryOutcome() == null ? ExpiryOutcome.REJECT : ExpiryOutcome.valueOf(r.expiryOutcome()),
                flags.contains("sender-notified"), flags.contains("no-approver"));
        return new StoredItem(item, details, r.rowVersion(), r.announcedAt(), r.remindedAt(), r.escalatedAt(),
                r.attempts(), r.nextAttemptAt(), r.releaseDeadline(), r.releaseOwner(), r.leaseUntil(), r.lastError(),
                r.deliveredCount(), remaining, r.approvedBinding(), r.finalAt(), r.contentDestroyedAt());
    }

    private static String flags(HoldDetails d) {
        List<String> f = new ArrayList<>();
        if (d.senderNotified()) {
            f.add("sender-notified");
        }
        if (d.noApprover()) {
            f.add("no-approver");
        }
        return String.join(",", f);
    }

    private static List<String> lower(List<String> addresses) {
        return addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static String maskComment(String comment) {
        return comment == null ? null : clip(MetadataMask.mask(comment), HoldLimits.MAX_COMMENT_CHARS);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant millisOrNull(Instant t) {
        return t == null ? null : millis(t);
    }

    /** What is sealed under an item's data key, each with its own associated data. */
    static final class Sealing {
        private Sealing() {
        }

        static byte[] envelope(SecretKey key, String ref, String sender, List<String> recipients) throws IOException {
            String text = sender + "\n" + String.join("\n", recipients);
            return ContentCipher.sealBlob(key, aad("envelope", ref), text.getBytes(StandardCharsets.UTF_8));
        }

        static List<String> openEnvelope(SecretKey key, String ref, byte[] sealed) throws IOException {
            String text = new String(ContentCipher.openBlob(key, aad("envelope", ref), sealed), StandardCharsets.UTF_8);
            List<String> parts = List.of(text.split("\n", -1));
            return parts.size() == 2 && parts.get(1).isEmpty() ? List.of(parts.get(0)) : parts;
        }

        static byte[] seal(SecretKey key, String what, String ref, byte[] plain) throws IOException {
            return ContentCipher.sealBlob(key, aad(what, ref), plain);
        }

        static byte[] open(SecretKey key, String what, String ref, byte[] sealed) throws IOException {
            return ContentCipher.openBlob(key, aad(what, ref), sealed);
        }

        private static byte[] aad(String what, String ref) {
            return ("mynaguard-" + what + "-v1:" + ref).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public java.util.Map<HoldState, Long> countByState() throws IOException {
        try {
            java.util.Map<HoldState, Long> out = new java.util.EnumMap<>(HoldState.class);
            db.countByState().forEach((state, n) -> out.put(HoldState.valueOf(state), n));
            return out;
        } catch (SQLException | IllegalArgumentException e) {
            throw new IOException("cannot count held items: " + e.getMessage(), e);
        }
    }

    @Override
    public void ping() throws IOException {
        try {
            db.ping();
        } catch (SQLException e) {
            throw new IOException("the hold database does not answer: " + e.getMessage(), e);
        }
    }


    /** Upload approvals to look through per request; more waiting approvals for one user are not expected. */
    private static final int APPROVALS_SCANNED = 100;

    @Override
    public Optional<HeldItem> consumeApproval(String sender, String host, String contentSha256, Instant approvedSince)
            throws IOException {
        ItemQuery q = ItemQuery.all(APPROVALS_SCANNED).withStates(java.util.Set.of(HoldState.APPROVED)).withSender(sender);
        for (StoredItem s : query(q)) {
            HeldItem i = s.item();
            boolean match = "http".equals(i.channel()) && contentSha256.equals(i.contentSha256())
                    && i.recipients().size() == 1 && i.recipients().get(0).equalsIgnoreCase(host);
            if (!match || !approvedSince(i.referenceId(), approvedSince)) {
                continue;
            }
            Optional<StoredItem> done = apply(StateChange.of(s, HoldState.RELEASED, "consumed", "gateway", Instant.now())
                    .comment("approved upload sent again").build());
            if (done.isPresent()) {
                return Optional.of(done.get().item());
            }
        }
        return Optional.empty();
    }

    private boolean approvedSince(String referenceId, Instant since) throws IOException {
        Instant approved = null;
        for (HoldWorkflow.Transition t : transitions(referenceId)) {
            if (t.to() == HoldState.APPROVED) {
                approved = t.at();
            }
        }
        return approved != null && !approved.isBefore(since);
    }

}
