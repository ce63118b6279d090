package jp.mynaguard.proxy.console;

import java.util.EnumSet;
import java.util.Set;

import jp.mynaguard.proxy.hold.Actor;
import jp.mynaguard.proxy.hold.Role;

/**
 * Which roles may reach each console action at all. This is the coarse gate in front of the
 * workflow; whether a user may act on a particular item (their own, one naming them as
 * approver, separation of duties) is the workflow's decision, made on the server for the pages
 * and the API alike.
 */
enum Permission {
    /** My held items; cancel or withdraw my own. */
    OWN_ITEMS(Role.SENDER),
    /** Open one item (the workflow hides what the user may not see). */
    VIEW_ITEM(Role.SENDER),
    /** Items waiting for my decision. */
    AWAITING(Role.APPROVER, Role.ADMIN),
    /** Approve or reject. */
    DECIDE(Role.APPROVER, Role.ADMIN),
    /** The decoded content of an item; every use recorded by the workflow. */
    REVEAL(Role.REVEAL),
    /** All items with filters. */
    SEARCH(Role.ADMIN, Role.AUDITOR),
    /** The histories of all items. */
    AUDIT(Role.ADMIN, Role.AUDITOR),
    /** Active policy version and the last reload error. */
    POLICY_STATUS(Role.ADMIN, Role.AUDITOR),
    /** Load the policy files now. */
    POLICY_RELOAD(Role.ADMIN),
    /** Users, their addresses and roles. */
    USERS(Role.ADMIN, Role.AUDITOR);

    private final Set<Role> roles;

    Permission(Role first, Role... more) {
        this.roles = EnumSet.of(first, more);
    }

    boolean allows(Actor actor) {
        return actor.roles().stream().anyMatch(roles::contains);
    }
}
