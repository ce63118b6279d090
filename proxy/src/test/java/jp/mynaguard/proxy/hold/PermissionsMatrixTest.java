package jp.mynaguard.proxy.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The workflow's rules as a matrix: every kind of person × every kind of item × see, decide,
 * cancel (reveal is "see" plus the REVEAL role). One expected letter per cell, so a change of a
 * rule shows up as a changed row.
 */
class PermissionsMatrixTest {
    private static final String SENDER = "tanaka@example.co.jp";

    private static StoredItem item(HoldKind kind, boolean escalated) {
        HeldItem i = new HeldItem("MATRIX22", kind, "HELD", "smtp", SENDER,
                List.of("partner@outside.test", "colleague@example.co.jp"), "rule", "v", "s", Instant.EPOCH, null, 1, "x");
        HoldDetails d = new HoldDetails("", List.of(), List.of(), List.of("yamada@example.co.jp"),
                List.of("suzuki@example.co.jp"), List.of("partner@outside.test"), null, null, null, null, false, false);
        return new StoredItem(i, d, 1, null, null, escalated ? Instant.EPOCH : null, 0, null, null, null, null, null,
                0, null, null, null, null);
    }

    private static Actor actor(String address, Role... roles) {
        return new Actor(address.substring(0, address.indexOf('@')), address, Set.of(roles));
    }

    /** Who, and the expected "see decide cancel" letters (y/n) for APPROVE, QUARANTINE, HOLD, APPROVE-after-escalation. */
    private static final Map<String, Object[]> CASES = new LinkedHashMap<>();

    static {
        CASES.put("sender", new Object[] {actor(SENDER, Role.SENDER), "yny ynn yny yny"});
        CASES.put("sender with every role", new Object[] {actor(SENDER, Role.values()), "yny ynn yny yny"});
        CASES.put("listed approver", new Object[] {actor("yamada@example.co.jp", Role.APPROVER), "yyn nnn nnn yyn"});
        CASES.put("listed, no approver role", new Object[] {actor("yamada@example.co.jp", Role.SENDER), "nnn nnn nnn nnn"});
        CASES.put("backup", new Object[] {actor("suzuki@example.co.jp", Role.APPROVER), "nnn nnn nnn yyn"});
        CASES.put("other approver", new Object[] {actor("kimura@example.co.jp", Role.APPROVER), "nnn nnn nnn nnn"});
        CASES.put("admin", new Object[] {actor("admin@example.co.jp", Role.ADMIN), "yyn yyn yyn yyn"});
        CASES.put("admin who is a recipient", new Object[] {actor("colleague@example.co.jp", Role.ADMIN), "ynn ynn ynn ynn"});
        CASES.put("auditor", new Object[] {actor("audit@example.co.jp", Role.AUDITOR), "ynn ynn ynn ynn"});
        CASES.put("plain user", new Object[] {actor("ito@example.co.jp", Role.SENDER), "nnn nnn nnn nnn"});
        CASES.put("recipient", new Object[] {actor("partner@outside.test", Role.SENDER, Role.REVEAL), "nnn nnn nnn nnn"});
        CASES.put("system", new Object[] {Actor.SYSTEM, "nnn nnn nnn nnn"});
    }

    @Test
    void everyPersonTimesEveryKindOfItem() {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Object[]> c : CASES.entrySet()) {
            Actor a = (Actor) c.getValue()[0];
            StringBuilder got = new StringBuilder();
            StoredItem[] items = {item(HoldKind.APPROVE, false), item(HoldKind.QUARANTINE, false),
                    item(HoldKind.HOLD, false), item(HoldKind.APPROVE, true)};
            for (StoredItem s : items) {
                if (got.length() > 0) {
                    got.append(' ');
                }
                got.append(Permissions.maySee(a, s) ? 'y' : 'n')
                        .append(Permissions.maySee(a, s) && Permissions.mayDecide(a, s) ? 'y' : 'n')
                        .append(Permissions.maySee(a, s) && Permissions.cancelRefusal(a, s) == null ? 'y' : 'n');
            }
            if (!got.toString().equals(c.getValue()[1])) {
                mismatches.add(c.getKey() + ": expected " + c.getValue()[1] + " got " + got);
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
