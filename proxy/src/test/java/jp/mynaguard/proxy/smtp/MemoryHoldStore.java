package jp.mynaguard.proxy.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jp.mynaguard.proxy.hold.HeldItem;
import jp.mynaguard.proxy.hold.HoldDetails;
import jp.mynaguard.proxy.hold.HoldRequest;
import jp.mynaguard.proxy.hold.HoldStore;
import jp.mynaguard.proxy.hold.HoldWorkflow;
import jp.mynaguard.proxy.hold.ItemQuery;
import jp.mynaguard.proxy.hold.StateChange;
import jp.mynaguard.proxy.hold.StoredItem;

/** Test double of the hold store: keeps items and their bytes in memory; {@link #failing} makes every hold throw. */
final class MemoryHoldStore implements HoldStore {
    final List<HeldItem> items = Collections.synchronizedList(new ArrayList<>());
    final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    final Map<String, HoldDetails> details = new ConcurrentHashMap<>();
    volatile boolean failing;

    @Override
    public HeldItem hold(HoldRequest r) throws IOException {
        if (failing) {
            throw new IOException("disk full (test)");
        }
        byte[] bytes;
        try (InputStream in = r.content().openStream()) {
            bytes = in.readAllBytes();
        }
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        HeldItem item = new HeldItem(r.referenceId(), r.kind(), "held", r.channel(), r.sender(), r.recipients(),
                r.rule(), r.policyVersion(), r.findingsSummary(), r.receivedAt(), r.releaseAfter(), bytes.length, sha);
        contents.put(r.referenceId(), bytes);
        details.put(r.referenceId(), r.details());
        items.add(item);
        return item;
    }

    @Override
    public List<HeldItem> list(int limit) {
        synchronized (items) {
            List<HeldItem> copy = new ArrayList<>(items);
            Collections.reverse(copy);
            return copy.subList(0, Math.min(limit, copy.size()));
        }
    }

    @Override
    public Optional<HeldItem> find(String referenceId) {
        synchronized (items) {
            return items.stream().filter(i -> i.referenceId().equals(referenceId)).findFirst();
        }
    }

    @Override
    public InputStream openContent(String referenceId) throws IOException {
        byte[] b = contents.get(referenceId);
        if (b == null) {
            throw new IOException("no held item " + referenceId);
        }
        return new java.io.ByteArrayInputStream(b);
    }

    // The SMTP tests only hold and read back; the workflow is tested against the real stores.

    @Override
    public List<HoldWorkflow.Transition> transitions(String referenceId) {
        throw new UnsupportedOperationException("not needed by the SMTP tests");
    }

    @Override
    public Optional<StoredItem> entry(String referenceId) {
        throw new UnsupportedOperationException("not needed by the SMTP tests");
    }

    @Override
    public List<StoredItem> query(ItemQuery query) {
        throw new UnsupportedOperationException("not needed by the SMTP tests");
    }

    /** Nothing is ever due: the gateway tests' scheduler finds no work here. */
    @Override
    public List<StoredItem> due(ItemQuery.Due what, Instant now, int limit) {
        return List.of();
    }

    @Override
    public Optional<StoredItem> apply(StateChange change) {
        throw new UnsupportedOperationException("not needed by the SMTP tests");
    }

    @Override
    public void record(String referenceId, String action, String actor, String comment, Instant at) {
        throw new UnsupportedOperationException("not needed by the SMTP tests");
    }

    @Override
    public List<StoredItem> claimReleases(String owner, Instant now, Instant leaseUntil, int limit) {
        return List.of();
    }

    @Override
    public boolean destroyContent(String referenceId, String actor, Instant at) {
        throw new UnsupportedOperationException("not needed by the SMTP tests");
    }

    @Override
    public void close() {
    }

    @Override
    public Optional<HeldItem> consumeApproval(String sender, String host, String contentSha256, Instant approvedSince) {
        throw new UnsupportedOperationException("upload approvals are not part of the SMTP tests");
    }

}
