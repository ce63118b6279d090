package jp.mynaguard.proxy.hold;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code held_items} as stored: plain columns, sealed blobs and JSON texts still
 * encoded ({@link JdbcHoldStore} opens them). {@link New} is what {@code hold()} inserts.
 */
record ItemRow(String referenceId, HoldKind kind, String state, String channel, String senderDisplay,
               int recipientCount, String rule, String policyVersion, String findingsSummary, Instant receivedAt,
               Instant releaseAfter, long sizeBytes, String contentSha256, String contentFile, String keyId,
               byte[] wrappedKey, byte[] envelope, long rowVersion, byte[] details, String findings, String approvers,
               Instant remindAt, Instant escalateAt, Instant expiresAt, String expiryOutcome, String flags,
               Instant announcedAt, Instant remindedAt, Instant escalatedAt, int attempts, Instant nextAttemptAt,
               Instant releaseDeadline, String releaseOwner, Instant leaseUntil, String lastError, int deliveredCount,
               byte[] remaining, String approvedBinding, Instant finalAt, Instant contentDestroyedAt) {

    /**
     * A new item: the columns {@code hold()} writes, plus the approver addresses for
     * {@code item_approvers} (lower case).
     */
    record New(String referenceId, HoldKind kind, String channel, String senderDisplay, int recipientCount,
               String rule, String policyVersion, String findingsSummary, Instant receivedAt, Instant releaseAfter,
               long sizeBytes, String contentSha256, String contentFile, String keyId, byte[] wrappedKey,
               byte[] envelope, byte[] details, String findings, String approversJson, List<String> approvers,
               List<String> backupApprovers, Instant remindAt, Instant escalateAt, Instant expiresAt,
               String expiryOutcome, String flags) {
        static final String COLUMNS = "reference_id, kind, state, channel, sender_display, recipient_count, rule,"
                + " policy_version, findings_summary, received_at, release_after, size_bytes, content_sha256,"
                + " content_file, key_id, wrapped_key, envelope, details, findings, approvers, remind_at,"
                + " escalate_at, expires_at, expiry_outcome, flags, created_at, updated_at";
        static final int COUNT = 27;

        void bind(PreparedStatement ps, Instant now) throws SQLException {
            int i = 1;
            ps.setString(i++, referenceId);
            ps.setString(i++, kind.name());
            ps.setString(i++, HoldState.HELD.name());
            ps.setString(i++, channel);
            ps.setString(i++, senderDisplay);
            ps.setInt(i++, recipientCount);
            ps.setString(i++, rule);
            ps.setString(i++, policyVersion);
            ps.setString(i++, findingsSummary);
            ps.setLong(i++, receivedAt.toEpochMilli());
            setTime(ps, i++, releaseAfter);
            ps.setLong(i++, sizeBytes);
            ps.setString(i++, contentSha256);
            ps.setString(i++, contentFile);
            ps.setString(i++, keyId);
            ps.setBytes(i++, wrappedKey);
            ps.setBytes(i++, envelope);
            ps.setBytes(i++, details);
            ps.setString(i++, findings);
            ps.setString(i++, approversJson);
            setTime(ps, i++, remindAt);
            setTime(ps, i++, escalateAt);
            setTime(ps, i++, expiresAt);
            ps.setString(i++, expiryOutcome);
            ps.setString(i++, flags);
            ps.setLong(i++, now.toEpochMilli());
            ps.setLong(i, now.toEpochMilli());
        }
    }

    static ItemRow read(ResultSet rs) throws SQLException {
        return new ItemRow(rs.getString("reference_id"), HoldKind.valueOf(rs.getString("kind")), rs.getString("state"),
                rs.getString("channel"), rs.getString("sender_display"), rs.getInt("recipient_count"),
                rs.getString("rule"), rs.getString("policy_version"), rs.getString("findings_summary"),
                time(rs, "received_at"), time(rs, "release_after"), rs.getLong("size_bytes"),
                rs.getString("content_sha256"), rs.getString("content_file"), rs.getString("key_id"),
                rs.getBytes("wrapped_key"), rs.getBytes("envelope"), rs.getLong("row_version"), rs.getBytes("details"),
                rs.getString("findings"), rs.getString("approvers"), time(rs, "remind_at"), time(rs, "escalate_at"),
                time(rs, "expires_at"), rs.getString("expiry_outcome"), rs.getString("flags"),
                time(rs, "announced_at"), time(rs, "reminded_at"), time(rs, "escalated_at"), rs.getInt("attempts"),
                time(rs, "next_attempt_at"), time(rs, "release_deadline"), rs.getString("release_owner"),
                time(rs, "lease_until"), rs.getString("last_error"), rs.getInt("delivered_count"),
                rs.getBytes("remaining"), rs.getString("approved_binding"), time(rs, "final_at"),
                time(rs, "content_destroyed_at"));
    }

    static Instant time(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, t.toEpochMilli());
        }
    }
}
