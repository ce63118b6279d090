package jp.mynaguard.policy.rules;

import java.util.List;
import java.util.Objects;

/**
 * A group of people (department, team) and who approves for it.
 *
 * @param name            the name rules refer to, e.g. {@code hr}
 * @param description     e.g. 人事部 (may be empty)
 * @param approvers       addresses asked first, in order
 * @param backupApprovers addresses asked when no approver can be asked (absent, or the sender)
 * @param location        where the entry was written
 */
public record Group(String name, String description, List<String> approvers,
                    List<String> backupApprovers, Location location) {
    public Group {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        approvers = List.copyOf(approvers);
        backupApprovers = List.copyOf(backupApprovers);
        Objects.requireNonNull(location, "location");
    }
}
