package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.ConfigSpec;
import org.junit.jupiter.api.Test;

class ConfigSchemasTest {
    private static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigField.string("name").label("Name").description("Unique name of the instance").required()
                    .maxLength(64).build(),
            ConfigField.string("description").label("Description").maxLength(180).build(),
            ConfigField.url("baseUrl").label("Base URL").required()
                    .example("https://api-acme.xdr.eu.paloaltonetworks.com").build(),
            ConfigField.secret("apiKey").label("API Key").required().build(),
            ConfigField.string("apiKeyId").label("API Key ID").required().pattern("[0-9]+", "a number").build(),
            ConfigField.enumeration("securityLevel", "standard", "advanced").label("Security Level")
                    .required().defaultValue("standard").build(),
            ConfigField.enumList("events", "incidents", "alerts").label("Events").build(),
            ConfigField.integer("batchSize").label("Batch Size").defaultValue(100).range(1, 100).build(),
            ConfigField.bool("deltaSync").label("Delta Sync").defaultValue(false).build(),
            ConfigField.duration("pollInterval").label("Poll Interval").defaultValue(Duration.ofMinutes(15)).build(),
            ConfigField.pem("caCertificate").label("CA Certificate").build());

    @Test
    void exportsDraft202012ThatParsesBack() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(ConfigSchemas.toJson(SPEC, "Acme"));

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("title").asText()).isEqualTo("Acme");
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("properties").fieldNames()).toIterable().containsExactly("name", "description",
                "baseUrl", "apiKey", "apiKeyId", "securityLevel", "events", "batchSize", "deltaSync", "pollInterval",
                "caCertificate");
        // a required field with a default is pre-filled, so the user need not give it
        assertThat(schema.path("required")).extracting(JsonNode::asText)
                .containsExactly("name", "baseUrl", "apiKey", "apiKeyId");
    }

    @Test
    void eachFieldCarriesItsConstraints() throws Exception {
        JsonNode p = new ObjectMapper().readTree(ConfigSchemas.toJson(SPEC, "Acme")).path("properties");

        assertThat(p.path("name").toString()).isEqualTo(
                "{\"title\":\"Name\",\"description\":\"Unique name of the instance\",\"type\":\"string\",\"maxLength\":64}");
        assertThat(p.path("description").path("maxLength").asInt()).isEqualTo(180);
        assertThat(p.path("baseUrl").toString()).isEqualTo("{\"title\":\"Base URL\",\"type\":\"string\","
                + "\"format\":\"uri\",\"pattern\":\"^https://\",\"examples\":[\"https://api-acme.xdr.eu.paloaltonetworks.com\"]}");
        assertThat(p.path("apiKeyId").path("pattern").asText()).isEqualTo("^(?:[0-9]+)$");
        assertThat(p.path("securityLevel").toString()).isEqualTo("{\"title\":\"Security Level\",\"type\":\"string\","
                + "\"enum\":[\"standard\",\"advanced\"],\"default\":\"standard\"}");
        assertThat(p.path("events").path("type").asText()).isEqualTo("array");
        assertThat(p.path("events").path("items").toString()).isEqualTo("{\"type\":\"string\",\"enum\":[\"incidents\",\"alerts\"]}");
        assertThat(p.path("events").path("items").path("enum")).extracting(JsonNode::asText)
                .containsExactly("incidents", "alerts");
        assertThat(p.path("batchSize").toString()).isEqualTo("{\"title\":\"Batch Size\",\"type\":\"integer\","
                + "\"minimum\":1,\"maximum\":100,\"default\":100}");
        assertThat(p.path("deltaSync").path("type").asText()).isEqualTo("boolean");
        assertThat(p.path("deltaSync").path("default").isBoolean()).isTrue();
        assertThat(p.path("pollInterval").toString()).isEqualTo("{\"title\":\"Poll Interval\",\"type\":\"string\","
                + "\"format\":\"duration\",\"default\":\"PT15M\"}");
        assertThat(p.path("caCertificate").path("contentMediaType").asText()).isEqualTo("application/x-pem-file");
    }

    @Test
    void secretsAreWriteOnlyPasswords() throws Exception {
        JsonNode apiKey = new ObjectMapper().readTree(ConfigSchemas.toJson(SPEC, "Acme")).path("properties").path("apiKey");

        assertThat(apiKey.toString()).isEqualTo(
                "{\"title\":\"API Key\",\"type\":\"string\",\"format\":\"password\",\"writeOnly\":true}");
    }

    @Test
    void anchoredPatternsAgreeWithValidate() {
        String exported = (String) ((java.util.Map<?, ?>) ConfigSchemas.toJsonSchema(SPEC, "Acme")
                .get("properties")).entrySet().stream()
                .filter(e -> e.getKey().equals("apiKeyId"))
                .map(e -> ((java.util.Map<?, ?>) e.getValue()).get("pattern"))
                .findFirst().orElseThrow();

        // JSON Schema patterns search; the export anchors them so "2a" fails in a form as in validate()
        for (String value : List.of("2", "42", "2a", "a2", "")) {
            boolean schemaAccepts = Pattern.compile(exported).matcher(value).find();
            boolean specAccepts = SPEC.validate(java.util.Map.of("name", "n", "baseUrl", "https://h", "apiKey", "k",
                    "apiKeyId", value)).isEmpty();
            if (!value.isEmpty()) {
                assertThat(schemaAccepts).as(value).isEqualTo(specAccepts);
            }
        }
    }
}
