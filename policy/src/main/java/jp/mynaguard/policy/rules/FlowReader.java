package jp.mynaguard.policy.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads {@code flows:}, the registered legitimate flows, and warns about expired or expiring ones. */
final class FlowReader {
    private final LoadContext ctx;

    FlowReader(LoadContext ctx) {
        this.ctx = ctx;
    }

    Flow read(Fields f, ZoneId zone) {
        if (f == null) {
            return null;
        }
        boolean complete = f.require("name") & f.require("owner") & f.require("senders")
                & f.require("recipient_domains") & f.require("expires");
        String name = ctx.name(f.text("name", null), f.keyAt("name"), "a flow name");
        if (name != null && !ctx.unique("flow", name, f.keyAt("name"), "flow")) {
            name = null;
        }
        String owner = null;
        YamlReader.Scalar writtenOwner = f.scalar("owner");
        if (writtenOwner != null) {
            owner = ctx.address(writtenOwner, "'owner'");
            if (owner != null) {
                ctx.referUser(owner, writtenOwner.at(), "owner of flow '" + name + "'");
            }
        }
        List<String> senders = new ArrayList<>();
        Set<String> senderGroups = new HashSet<>();
        for (YamlReader.Scalar s : f.texts("senders")) {
            if (s.value().startsWith("group:")) {
                String group = s.value().substring("group:".length());
                ctx.referGroup(group, s.at(), "flow '" + name + "' senders");
                senderGroups.add(group);
            } else if (s.value().contains("@")) {
                senders.add(s.value().trim().toLowerCase(Locale.ROOT));
            } else {
                ctx.out().error(s.at(), "a flow sender is an address (pattern) like payroll@example.co.jp or"
                        + " group:NAME");
            }
        }
        List<String> domains = new ArrayList<>();
        for (YamlReader.Scalar s : f.texts("recipient_domains")) {
            if (s.value().contains("@") || s.value().isBlank()) {
                ctx.out().error(s.at(), "recipient_domains entries are domains like zeirishi.example.jp");
            } else {
                domains.add(s.value().trim());
            }
        }
        if (f.has("recipient_domains") && domains.isEmpty()) {
            f.error("recipient_domains", "a flow needs at least one recipient domain");
        }
        LocalDate expires = f.date("expires");
        if (!complete || name == null || owner == null || expires == null || domains.isEmpty()) {
            return null;
        }
        Instant endsAt = expires.plusDays(1).atStartOfDay(zone).toInstant();
        warnAboutExpiry(name, expires, endsAt, f.valueAt("expires"));
        return new Flow(name, f.text("description", ""), owner, PatternSet.ofIgnoreCase(senders), senderGroups,
                PatternSet.ofIgnoreCase(domains), expires, endsAt, f.at());
    }

    private void warnAboutExpiry(String name, LocalDate expires, Instant endsAt, Location at) {
        Instant now = ctx.clock().instant();
        if (!now.isBefore(endsAt)) {
            ctx.out().warning(at, "flow '" + name + "' expired on " + expires
                    + "; it no longer matches any message: renew it (new expires date) or remove it");
        } else if (now.plus(PolicyLimits.FLOW_EXPIRY_WARNING).isAfter(endsAt)) {
            ctx.out().warning(at, "flow '" + name + "' expires on " + expires + "; renew it if it is still needed");
        }
    }
}
