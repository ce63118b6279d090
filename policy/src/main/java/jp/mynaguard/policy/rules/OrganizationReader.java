package jp.mynaguard.policy.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads {@code organization:} and the users and groups, which may sit in the policy itself or in
 * a separate directory file kept by HR ({@code organization.directory}); errors in that file point
 * into it.
 */
final class OrganizationReader {
    /** Loads the directory file named in the policy; returns its root fields or {@code null}. */
    @FunctionalInterface
    interface DirectoryFiles {
        Fields open(YamlReader.Scalar name);
    }

    private final LoadContext ctx;
    private final Organization.Builder org = Organization.builder();

    OrganizationReader(LoadContext ctx) {
        this.ctx = ctx;
    }

    Organization.Builder builder() {
        return org;
    }

    void read(Fields f, DirectoryFiles files) {
        if (f == null) {
            return;
        }
        for (YamlReader.Scalar d : f.texts("internal_domains")) {
            String domain = d.value().trim().toLowerCase(Locale.ROOT);
            if (domain.isEmpty() || domain.contains("@") || domain.contains(" ")) {
                ctx.out().error(d.at(), "internal_domains entries are domains like example.co.jp or"
                        + " *.example.co.jp, found '" + NumberGuard.redact(d.value()) + "'");
            } else {
                org.internalDomain(domain);
            }
        }
        if (!f.has("internal_domains")) {
            ctx.out().warning(f.at(), "no internal_domains: every recipient counts as external");
        }
        for (YamlReader.Scalar s : f.texts("security_team")) {
            String a = ctx.address(s, "a security_team entry");
            if (a != null) {
                org.securityTeam(a);
            }
        }
        readPeople(f);
        if (f.has("directory")) {
            String name = f.text("directory", null);
            if (name != null) {
                Fields dir = files.open(new YamlReader.Scalar(name, f.valueAt("directory")));
                if (dir != null) {
                    readDirectoryRoot(dir);
                }
            }
        }
    }

    private void readDirectoryRoot(Fields dir) {
        if (dir.has("version")) {
            int v = dir.integer("version", 0, Integer.MAX_VALUE, PolicyLimits.POLICY_VERSION);
            if (v != PolicyLimits.POLICY_VERSION) {
                dir.error("version", "unsupported directory version " + v + "; this Mynaguard reads version "
                        + PolicyLimits.POLICY_VERSION);
            }
        }
        readPeople(dir);
    }

    private void readPeople(Fields f) {
        for (Node n : f.items("users")) {
            readUser(f.reader().fields(n, PolicyKeys.USER, "a user"));
        }
        for (Node n : f.items("groups")) {
            readGroup(f.reader().fields(n, PolicyKeys.GROUP, "a group"));
        }
    }

    private void readUser(Fields u) {
        if (u == null || !u.require("address")) {
            return;
        }
        YamlReader.Scalar written = u.scalar("address");
        String address = written == null ? null : ctx.address(written, "'address'");
        if (address == null || !ctx.unique("user", address, written.at(), "user")) {
            return;
        }
        Set<String> logins = new LinkedHashSet<>();
        for (YamlReader.Scalar l : u.texts("logins")) {
            String login = l.value().trim().toLowerCase(Locale.ROOT);
            if (ctx.unique("login", login, l.at(), "login")) {
                logins.add(login);
            }
        }
        List<String> groups = new ArrayList<>();
        for (YamlReader.Scalar g : u.texts("groups")) {
            ctx.referGroup(g.value(), g.at(), "user '" + address + "'");
            groups.add(g.value());
        }
        String manager = null;
        YamlReader.Scalar writtenManager = u.scalar("manager");
        if (writtenManager != null) {
            manager = ctx.address(writtenManager, "'manager'");
            if (manager != null) {
                ctx.referUser(manager, writtenManager.at(), "manager");
                if (manager.equals(address)) {
                    u.error("manager", "a user cannot be their own manager");
                }
            }
        }
        org.user(new User(address, u.text("name", ""), logins, groups, manager, u.at()));
    }

    private void readGroup(Fields g) {
        if (g == null || !g.require("name")) {
            return;
        }
        String name = ctx.name(g.text("name", null), g.keyAt("name"), "a group name");
        if (name == null || !ctx.unique("group", name, g.keyAt("name"), "group")) {
            return;
        }
        List<String> approvers = approverAddresses(g, "approvers", name);
        List<String> backups = approverAddresses(g, "backup_approvers", name);
        org.group(new Group(name, g.text("description", ""), approvers, backups, g.at()));
    }

    private List<String> approverAddresses(Fields g, String key, String group) {
        List<String> result = new ArrayList<>();
        for (YamlReader.Scalar s : g.texts(key)) {
            String a = ctx.address(s, "an entry of '" + key + "'");
            if (a != null) {
                ctx.referUser(a, s.at(), "approver of group '" + group + "'");
                result.add(a);
            }
        }
        return result;
    }
}
