package jp.mynaguard.policy.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads and validates a policy file (and the directory file it names). Never throws for bad
 * input: every problem comes back as a {@link Diagnostic} with {@code file:line:column}, all of
 * them in one go, and a policy is returned only when there is no error.
 */
public final class PolicyLoader {
    private final Clock clock;

    /** @param clock decides which flows have expired (warnings) */
    public PolicyLoader(Clock clock) {
        this.clock = clock;
    }

    public static PolicyLoader withSystemClock() {
        return new PolicyLoader(Clock.systemDefaultZone());
    }

    public LoadResult load(Path file) {
        Diagnostics out = new Diagnostics();
        List<byte[]> contents = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        sources.add(file);
        byte[] bytes = read(file, new Location(file.toString(), 1, 1), out);
        if (bytes == null) {
            return new LoadResult(Optional.empty(), out.sorted(), PolicyVersion.of(contents), sources);
        }
        contents.add(bytes);
        Policy policy = load(file.toString(), bytes, file.toAbsolutePath().getParent(), out, contents, sources);
        return new LoadResult(out.hasErrors() ? Optional.empty() : Optional.ofNullable(policy), out.sorted(),
                PolicyVersion.of(contents), sources);
    }

    private Policy load(String label, byte[] bytes, Path baseDir, Diagnostics out, List<byte[]> contents,
                        List<Path> sources) {
        YamlDocument doc = YamlDocument.parse(label, bytes, out);
        if (doc == null) {
            return null;
        }
        LoadContext ctx = new LoadContext(out, clock);
        YamlReader reader = new YamlReader(label, out);
        Fields top = reader.fields(doc.root(), PolicyKeys.POLICY, "the policy");
        if (top == null) {
            return null;
        }
        if (!checkVersion(top, out)) {
            return null;
        }
        ZoneId zone = zone(top);
        Mode mode = top.choice("mode", RuleReader.MODES, Mode.ENFORCE);

        OrganizationReader orgReader = new OrganizationReader(ctx);
        orgReader.read(top.fields("organization", PolicyKeys.ORGANIZATION),
                name -> openDirectory(name, baseDir, out, contents, sources));
        Organization.Builder org = orgReader.builder();
        DetectorSettings detector = new DetectorReader(ctx).read(top.fields("detector", PolicyKeys.DETECTOR));

        List<Flow> flows = new ArrayList<>();
        Map<String, Integer> flowIndex = new HashMap<>();
        FlowReader flowReader = new FlowReader(ctx);
        for (Node n : top.items("flows")) {
            Flow flow = flowReader.read(reader.fields(n, PolicyKeys.FLOW, "a flow"), zone);
            if (flow != null) {
                flowIndex.put(flow.name(), flows.size());
                flows.add(flow);
            }
        }

        RuleReader ruleReader = new RuleReader(ctx, flowIndex, mode, !org.build().securityTeam().isEmpty());
        List<Rule> rules = new ArrayList<>();
        List<Node> ruleNodes = top.items("rules");
        if (ruleNodes.size() > PolicyLimits.MAX_RULES) {
            top.error("rules", "too many rules (" + ruleNodes.size() + "; at most " + PolicyLimits.MAX_RULES + ")");
            return null;
        }
        for (Node n : ruleNodes) {
            Rule rule = ruleReader.rule(reader.fields(n, PolicyKeys.RULE, "a rule"));
            if (rule != null) {
                rules.add(rule);
            }
        }
        Rule fallback = ruleReader.defaultRule(top);
        ctx.checkReferences(org);
        ShadowCheck.check(rules, out);
        if (out.hasErrors() || fallback == null) {
            return null;
        }
        Policy.Builder b = Policy.builder()
                .version(PolicyVersion.of(contents))
                .name(top.text("name", ""))
                .zone(zone)
                .organization(org.build())
                .detector(detector)
                .defaultAction(fallback.action(), fallback.effects());
        flows.forEach(b::flow);
        rules.forEach(b::rule);
        sources.forEach(b::source);
        return b.build();
    }

    private static boolean checkVersion(Fields top, Diagnostics out) {
        if (!top.has("version")) {
            out.error(top.at(), "the policy needs 'version: " + PolicyLimits.POLICY_VERSION + "' at the top");
            return false;
        }
        int v = top.integer("version", 0, Integer.MAX_VALUE, -1);
        if (v >= 0 && v != PolicyLimits.POLICY_VERSION) {
            top.error("version", "unsupported policy version " + v + "; this Mynaguard understands version "
                    + PolicyLimits.POLICY_VERSION);
        }
        return v == PolicyLimits.POLICY_VERSION;
    }

    private static ZoneId zone(Fields top) {
        String z = top.text("timezone", null);
        if (z == null) {
            return PolicyLimits.DEFAULT_ZONE;
        }
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            top.error("timezone", "unknown time zone '" + z + "'; write e.g. Asia/Tokyo");
            return PolicyLimits.DEFAULT_ZONE;
        }
    }

    private static Fields openDirectory(YamlReader.Scalar name, Path baseDir, Diagnostics out,
                                        List<byte[]> contents, List<Path> sources) {
        Path file = baseDir == null ? Path.of(name.value()) : baseDir.resolve(name.value());
        String label = labelFor(sources.get(0), name.value());
        sources.add(file);
        byte[] bytes = read(file, name.at(), out);
        if (bytes == null) {
            return null;
        }
        contents.add(bytes);
        YamlDocument doc = YamlDocument.parse(label, bytes, out);
        return doc == null ? null : new YamlReader(label, out).fields(doc.root(), PolicyKeys.DIRECTORY,
                "the directory file");
    }

    /** The directory file's name as people see it: beside the policy file, as the policy names it. */
    private static String labelFor(Path policyFile, String name) {
        Path parent = policyFile.getParent();
        return parent == null ? name : parent.resolve(name).toString();
    }

    /** The file's bytes, at most one more than the limit; {@code null} after reporting why not. */
    private static byte[] read(Path file, Location at, Diagnostics out) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(PolicyLimits.MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            out.error(at, "cannot read '" + file + "': no such file");
        } catch (IOException e) {
            out.error(at, "cannot read '" + file + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return null;
    }
}
