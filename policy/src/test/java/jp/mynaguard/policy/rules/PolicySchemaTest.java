package jp.mynaguard.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Keeps {@code policy.schema.json} (what editors complete and check) and the loader (what the
 * gateway accepts) in agreement: the same keys for every kind of mapping, both ways, and every
 * shipped example valid under the schema.
 */
class PolicySchemaTest {
    static final String RESOURCE = "/jp/mynaguard/policy/rules/policy.schema.json";
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode schema() throws IOException {
        try (InputStream in = PolicySchemaTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE);
            return JSON.readTree(in);
        }
    }

    /** The object definition the loader's key set corresponds to (the object branch of a oneOf). */
    static JsonNode definition(JsonNode schema, KeySet keys) {
        JsonNode def = keys.schemaName().equals("policy") ? schema : schema.path("$defs").path(keys.schemaName());
        assertTrue(def.isObject(), "policy.schema.json lacks $defs/" + keys.schemaName());
        if (!def.has("properties") && def.has("oneOf")) {
            for (JsonNode branch : def.get("oneOf")) {
                if (branch.has("properties")) {
                    return branch;
                }
            }
        }
        return def;
    }

    @Test
    void schemaAndLoaderAcceptTheSameKeys() throws IOException {
        JsonNode schema = schema();
        for (KeySet keys : PolicyKeys.ALL) {
            JsonNode def = definition(schema, keys);
            Set<String> inSchema = new TreeSet<>();
            for (Iterator<String> it = def.path("properties").fieldNames(); it.hasNext(); ) {
                inSchema.add(it.next());
            }
            assertEquals(new TreeSet<>(keys.keys()), inSchema, "keys of '" + keys.schemaName()
                    + "': loader (expected) vs policy.schema.json (actual)");
            assertEquals(false, def.path("additionalProperties").asBoolean(true),
                    "'" + keys.schemaName() + "' must not allow unknown keys, like the loader");
        }
    }

    @Test
    void examplesCopyIsTheSameFile() throws IOException {
        try (InputStream in = PolicySchemaTest.class.getResourceAsStream(RESOURCE)) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    Files.readString(ExamplePoliciesTest.EXAMPLES.resolve("policy.schema.json")),
                    "examples/policy.schema.json must be a copy of " + RESOURCE);
        }
    }

    @ParameterizedTest
    @MethodSource("jp.mynaguard.policy.rules.ExamplePoliciesTest#policies")
    void everyExampleValidatesAgainstTheSchema(Path file) throws IOException {
        assertValid(schema(), file);
    }

    @Test
    void theDirectoryExampleValidatesAgainstItsDefinition() throws IOException {
        ObjectNode schema = (ObjectNode) schema();
        schema.remove("properties");
        schema.remove("required");
        schema.remove("additionalProperties");
        schema.remove("type");
        schema.put("$ref", "#/$defs/directory");
        assertValid(schema, ExamplePoliciesTest.EXAMPLES.resolve("users.yaml"));
    }

    @Test
    void theSchemaRejectsWhatTheLoaderRejects() throws IOException {
        JsonNode doc = yaml("version: 1\ndefault: allow\nrules:\n  - name: a\n    acton: block\n");
        assertTrue(validator(schema()).validate(doc).size() > 0);
    }

    private static void assertValid(JsonNode schema, Path file) throws IOException {
        Set<ValidationMessage> errors = validator(schema).validate(yaml(Files.readString(file)));
        assertTrue(errors.isEmpty(), () -> file + ":\n" + errors.stream().map(ValidationMessage::toString)
                .collect(Collectors.joining("\n")));
    }

    private static JsonSchema validator(JsonNode schema) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    }

    private static JsonNode yaml(String text) {
        Object data = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromString(text);
        return JSON.valueToTree(data);
    }
}
