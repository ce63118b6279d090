package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an {@link ApprovalSpec}'s sources into addresses for one message. Nobody approves their
 * own message or one addressed to them (separation of duties), and when the first sources yield
 * nobody the backups are asked; when those yield nobody either, the caller applies
 * {@code on_no_approver} instead of delivering unmoderated.
 */
final class ApproverResolver {
    /** Approvers to ask first and backups to ask when they do not answer; both may be empty. */
    record Resolution(List<String> approvers, List<String> backups) {
    }

    private ApproverResolver() {
    }

    static Resolution resolve(ApprovalSpec spec, MessageFacts facts) {
        Set<String> excluded = new LinkedHashSet<>(facts.envelope().recipients());
        if (facts.senderAddress() != null) {
            excluded.add(facts.senderAddress());
        }
        Set<String> first = new LinkedHashSet<>();
        Set<String> implicitBackups = new LinkedHashSet<>();
        for (ApproverSource source : spec.approvers()) {
            collect(source, facts, first, implicitBackups);
        }
        Set<String> backups = new LinkedHashSet<>();
        for (ApproverSource source : spec.backups()) {
            collect(source, facts, backups, backups);
        }
        backups.addAll(implicitBackups);
        first.removeAll(excluded);
        backups.removeAll(excluded);
        backups.removeAll(first);
        if (first.isEmpty()) {
            return new Resolution(List.copyOf(backups), List.of());
        }
        return new Resolution(List.copyOf(first), List.copyOf(backups));
    }

    private static void collect(ApproverSource source, MessageFacts facts, Set<String> into, Set<String> backupsInto) {
        Organization org = facts.policy().organization();
        User sender = facts.principal();
        switch (source.kind()) {
            case SENDER_GROUP:
                if (sender != null) {
                    for (String g : sender.groups()) {
                        addGroup(org.group(g), into, backupsInto);
                    }
                }
                break;
            case MANAGER:
                if (sender != null && sender.manager() != null) {
                    into.add(sender.manager());
                }
                break;
            case GROUP:
                addGroup(org.group(source.ref()), into, backupsInto);
                break;
            default:
                into.add(source.ref());
        }
    }

    private static void addGroup(Group group, Set<String> into, Set<String> backupsInto) {
        if (group != null) {
            into.addAll(group.approvers());
            backupsInto.addAll(new ArrayList<>(group.backupApprovers()));
        }
    }
}
