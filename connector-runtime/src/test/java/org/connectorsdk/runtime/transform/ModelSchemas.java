package org.connectorsdk.runtime.transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates target records against the model's JSON Schema resources with a standard validator,
 * as a platform would. Shared with the plugin's tests through this module's test jar (which
 * holds this class alone).
 */
public final class ModelSchemas {
    /** Where the schemas of each model version are published ({@code $id}s name their version). */
    public static final String BASE = "https://connectorsdk.org/model/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private ModelSchemas() {
    }

    public static JsonSchema schema(String kind) {
        return SCHEMAS.computeIfAbsent(kind, k -> {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    b -> b.schemaMappers(m -> m.mapPrefix(BASE + TargetModel.forKind(k).orElseThrow().version() + "/",
                            "classpath:org/connectorsdk/runtime/model/")));
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return factory.getSchema(SchemaLocation.of(BASE + TargetModel.forKind(k).orElseThrow().version() + "/" + k
                    + ".schema.json"), config);
        });
    }

    /** The schema's complaints about {@code record}; empty when it is valid. */
    public static List<String> problems(String kind, Map<String, Object> record) {
        try {
            Set<ValidationMessage> messages = schema(kind).validate(JSON.writeValueAsString(record), InputFormat.JSON);
            return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
