package jp.mynaguard.proxy.hold;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jp.mynaguard.policy.rules.ApprovalSpec.ExpiryOutcome;

/**
 * The workflow's clock-driven steps, each a compare-and-set per item so that several gateway
 * instances can run them at once without doing anything twice: telling people a new item waits
 * (approvers, admins, the sender), releasing timed holds, expiring undecided items with their
 * configured outcome, asking the backups and reminding the approvers.
 */
final class HoldTimers {
    private static final Logger LOG = LoggerFactory.getLogger(HoldTimers.class);
    private static final String SYSTEM = Actor.SYSTEM.login();

    private final HoldStore store;
    private final HoldSettings settings;
    private final HoldNotifier notifier;
    private final WorkflowAudit audit;
    private final Supplier<List<String>> admins;

    HoldTimers(HoldStore store, HoldSettings settings, HoldNotifier notifier, WorkflowAudit audit,
               Supplier<List<String>> admins) {
        this.store = store;
        this.settings = settings;
        this.notifier = notifier;
        this.audit = audit;
        this.admins = admins;
    }

    /** New items: approvers asked, admins told about quarantine, the sender told (unless the rule did). */
    int announce(Instant now) throws IOException {
        int n = 0;
        for (StoredItem s : store.due(ItemQuery.Due.ANNOUNCE, now, settings.batch())) {
            Optional<StoredItem> done = store.apply(StateChange.of(s, HoldState.HELD, "notify", SYSTEM, now)
                    .set(StateChange.Field.ANNOUNCED_AT, now).build());
            if (done.isEmpty()) {
                continue;
            }
            List<String> told = new ArrayList<>();
            switch (s.kind()) {
                case APPROVE -> told.addAll(send(HoldNotifier.Template.APPROVAL_REQUEST, s, s.details().approvers()));
                case QUARANTINE -> told.addAll(send(s.details().noApprover() ? HoldNotifier.Template.NO_APPROVER
                        : HoldNotifier.Template.QUARANTINE_REVIEW, s, NoticeValues.nonEmpty(admins.get()),
                        "outcome_ja", "隔離しました（管理者の確認待ち）", "outcome_en", "quarantined for an administrator's review"));
                case HOLD -> { }
            }
            if (!s.details().senderNotified()) {
                told.addAll(send(HoldNotifier.Template.SENDER_HELD, s, List.of(s.item().sender())));
            }
            audit.system("notify", s, HoldState.HELD, now, told.size() + " notice(s)");
            n++;
        }
        return n;
    }

    /** Timed holds (一時保留) whose delay is over and that nobody cancelled: approved by the gateway. */
    int timedReleases(Instant now) throws IOException {
        int n = 0;
        for (StoredItem s : store.due(ItemQuery.Due.TIMED_RELEASE, now, settings.batch())) {
            Optional<StoredItem> done = store.apply(StateChange.of(s, HoldState.APPROVED, "timed-release", SYSTEM, now)
                    .set(StateChange.Field.APPROVED_BINDING, s.binding())
                    .set(StateChange.Field.NEXT_ATTEMPT_AT, now).build());
            if (done.isPresent()) {
                audit.system("timed-release", s, HoldState.APPROVED, now, null);
                n++;
            }
        }
        return n;
    }

    /** Undecided past expiry: rejected (the default) or, where the policy says so, released; the sender is told. */
    int expire(Instant now) throws IOException {
        int n = 0;
        for (StoredItem s : store.due(ItemQuery.Due.EXPIRE, now, settings.batch())) {
            boolean release = s.details().onExpiry() == ExpiryOutcome.RELEASE;
            StateChange.Builder change = release
                    ? StateChange.of(s, HoldState.APPROVED, "expire-release", SYSTEM, now)
                            .set(StateChange.Field.APPROVED_BINDING, s.binding())
                            .set(StateChange.Field.NEXT_ATTEMPT_AT, now)
                    : StateChange.of(s, HoldState.EXPIRED, "expire", SYSTEM, now);
            Optional<StoredItem> done = store.apply(change.comment("nobody decided before the deadline").build());
            if (done.isEmpty()) {
                continue;
            }
            HoldState to = release ? HoldState.APPROVED : HoldState.EXPIRED;
            audit.system(release ? "expire-release" : "expire", s, to, now, null);
            send(HoldNotifier.Template.SENDER_EXPIRED, done.get(), List.of(s.item().sender()),
                    "outcome_ja", release ? "ポリシーの定めにより送信します" : "送信を取りやめました（破棄）",
                    "outcome_en", release ? "it is sent now, as the policy says" : "it was not sent and has been discarded");
            n++;
        }
        return n;
    }

    /** Approvers have not acted: the backups are asked and may decide from now on. */
    int escalate(Instant now) throws IOException {
        int n = 0;
        for (StoredItem s : store.due(ItemQuery.Due.ESCALATE, now, settings.batch())) {
            if (s.details().backupApprovers().isEmpty()) {
                continue;
            }
            Optional<StoredItem> done = store.apply(StateChange.of(s, HoldState.HELD, "escalate", SYSTEM, now)
                    .set(StateChange.Field.ESCALATED_AT, now).build());
            if (done.isPresent()) {
                List<String> told = send(HoldNotifier.Template.APPROVAL_ESCALATION, done.get(),
                        s.details().backupApprovers());
                audit.system("escalate", s, HoldState.HELD, now, told.size() + " backup approver(s)");
                n++;
            }
        }
        return n;
    }

    /** The deadline is near: the approvers (and backups, once escalated) are reminded once. */
    int remind(Instant now) throws IOException {
        int n = 0;
        for (StoredItem s : store.due(ItemQuery.Due.REMIND, now, settings.batch())) {
            Optional<StoredItem> done = store.apply(StateChange.of(s, HoldState.HELD, "remind", SYSTEM, now)
                    .set(StateChange.Field.REMINDED_AT, now).build());
            if (done.isEmpty()) {
                continue;
            }
            List<String> to = new ArrayList<>(s.details().approvers());
            if (done.get().escalatedAt() != null) {
                to.addAll(s.details().backupApprovers());
            }
            List<String> told = send(HoldNotifier.Template.APPROVAL_REMINDER, done.get(), to);
            audit.system("remind", s, HoldState.HELD, now, told.size() + " approver(s)");
            n++;
        }
        return n;
    }

    private List<String> send(HoldNotifier.Template t, StoredItem s, List<String> to, String... pairs) {
        List<String> recipients = NoticeValues.nonEmpty(to);
        if (recipients.isEmpty()) {
            if (t == HoldNotifier.Template.QUARANTINE_REVIEW || t == HoldNotifier.Template.NO_APPROVER) {
                LOG.warn("ref {}: nobody to tell about it (the policy's security_team is empty)", s.referenceId());
            }
            return recipients;
        }
        notifier.notify(new HoldNotifier.Notice(t, s.referenceId(), recipients,
                NoticeValues.with(NoticeValues.of(s, settings), pairs)));
        return recipients;
    }
}
