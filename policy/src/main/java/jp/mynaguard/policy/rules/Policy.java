package jp.mynaguard.policy.rules;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A loaded, validated policy: immutable, safe to share between threads and to swap atomically.
 * Build it with {@link PolicyLoader} from YAML, or with {@link #builder()} in code.
 */
public final class Policy {
    private final String version;
    private final String name;
    private final ZoneId zone;
    private final Organization organization;
    private final DetectorSettings detector;
    private final List<Flow> flows;
    private final List<Rule> rules;
    private final ActionSpec defaultAction;
    private final SideEffects defaultEffects;
    private final List<Path> sources;

    private Policy(Builder b) {
        this.version = Objects.requireNonNull(b.version, "version");
        this.name = b.name == null ? "" : b.name;
        this.zone = b.zone;
        this.organization = Objects.requireNonNull(b.organization, "organization");
        this.detector = Objects.requireNonNull(b.detector, "detector");
        this.flows = List.copyOf(b.flows);
        this.rules = List.copyOf(b.rules);
        this.defaultAction = Objects.requireNonNull(b.defaultAction, "default action");
        this.defaultEffects = Objects.requireNonNull(b.defaultEffects, "default effects");
        this.sources = List.copyOf(b.sources);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** SHA-256 (hex) of the files the policy was loaded from; recorded in every decision. */
    public String version() {
        return version;
    }

    /** The first 12 hex digits of {@link #version()}, for people. */
    public String shortVersion() {
        return version.length() > 12 ? version.substring(0, 12) : version;
    }

    public String name() {
        return name;
    }

    /** Time zone in which flow expiry dates are read. */
    public ZoneId zone() {
        return zone;
    }

    public Organization organization() {
        return organization;
    }

    public DetectorSettings detector() {
        return detector;
    }

    public List<Flow> flows() {
        return flows;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** What happens when no rule matches; stated explicitly in every policy file. */
    public ActionSpec defaultAction() {
        return defaultAction;
    }

    public SideEffects defaultEffects() {
        return defaultEffects;
    }

    /** The files this policy was read from (policy first, then the directory file if any). */
    public List<Path> sources() {
        return sources;
    }

    public static final class Builder {
        private String version;
        private String name;
        private ZoneId zone = PolicyLimits.DEFAULT_ZONE;
        private Organization organization = Organization.builder().build();
        private DetectorSettings detector = DetectorSettings.DEFAULTS;
        private final List<Flow> flows = new ArrayList<>();
        private final List<Rule> rules = new ArrayList<>();
        private ActionSpec defaultAction;
        private SideEffects defaultEffects = SideEffects.NONE;
        private final List<Path> sources = new ArrayList<>();

        private Builder() {
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public Builder organization(Organization organization) {
            this.organization = organization;
            return this;
        }

        public Builder detector(DetectorSettings detector) {
            this.detector = detector;
            return this;
        }

        public Builder flow(Flow flow) {
            flows.add(flow);
            return this;
        }

        public Builder rule(Rule rule) {
            rules.add(rule);
            return this;
        }

        public Builder defaultAction(ActionSpec action, SideEffects effects) {
            this.defaultAction = action;
            this.defaultEffects = effects;
            return this;
        }

        public Builder source(Path path) {
            sources.add(path);
            return this;
        }

        public Policy build() {
            return new Policy(this);
        }
    }
}
