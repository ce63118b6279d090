package jp.mynaguard.proxy.hold;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The placeholders a notice about an item may use, from its metadata only: reference, console
 * link, rule, sender, recipient counts, findings summary, times. Never the subject, never
 * content, never a digit run (everything is masked again when rendered).
 */
final class NoticeValues {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

    private NoticeValues() {
    }

    static Map<String, String> of(StoredItem s, HoldSettings settings) {
        HeldItem i = s.item();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ref", i.referenceId());
        v.put("url", settings.itemUrl(i.referenceId()));
        v.put("rule", i.rule());
        v.put("sender", i.sender());
        v.put("recipients_count", String.valueOf(i.recipients().isEmpty() ? 0 : i.recipients().size()));
        v.put("external_count", String.valueOf(s.details().externalRecipients().size()));
        v.put("findings", i.findingsSummary());
        v.put("received", time(i.receivedAt(), settings));
        v.put("expires", s.details().expiresAt() == null ? "-" : time(s.details().expiresAt(), settings));
        v.put("release_after", i.releaseAfter() == null ? "-" : time(i.releaseAfter(), settings));
        v.put("kind_ja", switch (i.kind()) {
            case QUARANTINE -> "隔離（管理者の確認待ち）";
            case HOLD -> "一時保留";
            case APPROVE -> "承認待ち";
        });
        v.put("kind_en", switch (i.kind()) {
            case QUARANTINE -> "quarantined for review by an administrator";
            case HOLD -> "held briefly before sending";
            case APPROVE -> "waiting for approval";
        });
        v.put("approvers", String.join(", ", s.details().approvers()));
        v.put("comment", "");
        v.put("actor", "");
        return v;
    }

    static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> v = new LinkedHashMap<>(base);
        for (int k = 0; k + 1 < pairs.length; k += 2) {
            v.put(pairs[k], pairs[k + 1] == null ? "" : pairs[k + 1]);
        }
        return v;
    }

    static String time(Instant t, HoldSettings settings) {
        return WHEN.format(t.atZone(settings.zone()));
    }

    static List<String> nonEmpty(List<String> addresses) {
        return addresses.stream().filter(a -> a != null && !a.isBlank()).distinct().toList();
    }
}
