package jp.mynaguard.policy.rules;

import java.util.List;

/**
 * Every key the policy language accepts, per kind of mapping. The loader rejects anything else
 * (with a did-you-mean), and {@code PolicySchemaTest} checks this list against
 * {@code policy.schema.json} both ways, so editors' completion and the loader never drift apart.
 */
final class PolicyKeys {
    static final KeySet POLICY = new KeySet("policy",
            "version", "name", "description", "mode", "timezone", "organization", "detector", "flows", "rules",
            "default");
    static final KeySet ORGANIZATION = new KeySet("organization",
            "internal_domains", "security_team", "directory", "users", "groups");
    /** The root of a separate users/groups file named by {@code organization.directory}. */
    static final KeySet DIRECTORY = new KeySet("directory", "version", "users", "groups");
    static final KeySet USER = new KeySet("user", "address", "name", "logins", "groups", "manager");
    static final KeySet GROUP = new KeySet("group", "name", "description", "approvers", "backup_approvers");
    static final KeySet DETECTOR = new KeySet("detector",
            "min_level", "my_number_keywords", "corporate_keywords", "negative_words", "allow");
    static final KeySet ALLOW_SHAPE = new KeySet("allowShape", "shape", "types", "note");
    static final KeySet FLOW = new KeySet("flow",
            "name", "description", "owner", "senders", "recipient_domains", "expires");
    static final KeySet RULE = new KeySet("rule",
            "name", "description", "mode", "when", "action", "notify", "bcc_when_external_at_least",
            "add_headers", "subject_tag", "incident");
    static final KeySet WHEN = new KeySet("when",
            "channel", "sender", "sender_group", "authenticated", "external_recipients", "recipient_domain",
            "recipients_at_least", "external_recipients_at_least", "http_host", "http_method", "http_path",
            "findings", "unscannable", "attachment_name", "attachment_type", "message_size_at_least", "flow",
            "any_of", "not");
    static final KeySet FINDINGS = new KeySet("findings", "type", "min_level", "min_count");
    static final KeySet ACTION = new KeySet("action",
            "type", "reason", "delay", "approvers", "backup_approvers", "expire_after", "remind_before",
            "on_expiry", "on_no_approver");
    static final KeySet DEFAULT = new KeySet("default",
            "action", "notify", "bcc_when_external_at_least", "add_headers", "subject_tag", "incident");
    static final KeySet LOCALIZED_TEXT = new KeySet("localizedText", "ja", "en");

    /** Keys of {@link #ACTION} that only {@code type: approve} takes. */
    static final List<String> APPROVAL_ONLY = List.of(
            "approvers", "backup_approvers", "expire_after", "remind_before", "on_expiry", "on_no_approver");

    static final List<KeySet> ALL = List.of(POLICY, ORGANIZATION, DIRECTORY, USER, GROUP, DETECTOR, ALLOW_SHAPE,
            FLOW, RULE, WHEN, FINDINGS, ACTION, DEFAULT, LOCALIZED_TEXT);

    private PolicyKeys() {
    }
}
