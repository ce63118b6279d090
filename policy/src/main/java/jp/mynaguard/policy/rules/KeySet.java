package jp.mynaguard.policy.rules;

import java.util.List;

/**
 * The keys one kind of YAML mapping accepts. {@link #schemaName()} names the matching definition
 * in {@code policy.schema.json} ({@code $defs/NAME}, or the root for {@code policy}), so a test can
 * hold loader and schema to the same keys.
 */
record KeySet(String schemaName, List<String> keys) {
    KeySet(String schemaName, String... keys) {
        this(schemaName, List.of(keys));
    }

    boolean accepts(String key) {
        return keys.contains(key);
    }
}
