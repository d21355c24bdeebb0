package org.connectorsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {

    /** A setup form shaped like a real vendor's: identity, endpoint, credentials, options. */
    static final ConfigSpec SPEC = ConfigSpec.of(
            ConfigField.string("name").label("Name").required().maxLength(64).build(),
            ConfigField.string("description").label("Description").maxLength(180).build(),
            ConfigField.url("baseUrl").label("Base URL").required()
                    .example("https://api-acme.xdr.eu.paloaltonetworks.com").build(),
            ConfigField.secret("apiKey").label("API Key").required().build(),
            ConfigField.string("apiKeyId").label("API Key ID").required().pattern("[0-9]+", "a number").build(),
            ConfigField.enumeration("securityLevel", "standard", "advanced").label("Security Level")
                    .required().defaultValue("standard").build(),
            ConfigField.enumList("events", "incidents", "alerts").label("Events").build(),
            ConfigField.integer("batchSize").label("Batch Size").defaultValue(100).range(1, 100).build(),
            ConfigField.bool("deltaSync").label("Delta Sync").defaultValue(true).build(),
            ConfigField.duration("pollInterval").label("Poll Interval").build());

    static Map<String, Object> validConfig() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("name", "tenant-eu");
        raw.put("description", "EU production tenant");
        raw.put("baseUrl", "https://api-acme.xdr.eu.paloaltonetworks.com/");
        raw.put("apiKey", "s3cr3t-key-value");
        raw.put("apiKeyId", "2");
        raw.put("securityLevel", "advanced");
        raw.put("events", List.of("incidents"));
        raw.put("batchSize", 50);
        raw.put("pollInterval", "PT15M");
        return raw;
    }

    @Test
    void validConfigHasNoProblems() {
        assertThat(SPEC.validate(validConfig())).isEmpty();
    }

    @Test
    void validateReportsEveryProblemAtOnceEachNamingItsField() {
        Map<String, Object> raw = validConfig();
        raw.remove("name");
        raw.put("description", "x".repeat(181));
        raw.put("apiKeyId", "two");
        raw.put("baseUrl", "http://api-acme.xdr.eu.paloaltonetworks.com");
        raw.put("securityLevel", "paranoid");

        assertThat(SPEC.validate(raw)).containsExactly(
                new ConfigProblem("name", "is required (Name)"),
                new ConfigProblem("description", "must be at most 180 characters, got 181"),
                new ConfigProblem("baseUrl", "must start with https:// (the protocol prefix is required), "
                        + "got 'http://api-acme.xdr.eu.paloaltonetworks.com'"),
                new ConfigProblem("apiKeyId", "must be a number, got 'two'"),
                new ConfigProblem("securityLevel", "must be one of [standard, advanced], got 'paranoid'"));
    }

    @Test
    void anOutOfRangePortAndALineBreakInAKeyAreProblemsThatNeverRepeatTheKey() {
        Map<String, Object> raw = validConfig();
        raw.put("baseUrl", "https://api-acme.xdr.eu.paloaltonetworks.com:99999");
        raw.put("apiKey", "s3cr3t-key\r\nX-Injected: 1");

        assertThat(SPEC.validate(raw)).containsExactly(
                new ConfigProblem("baseUrl", "must have a port from 1 to 65535, got 99999"),
                new ConfigProblem("apiKey", "must not contain control characters (such as a line break); found one "
                        + "at position 11"));
    }

    @Test
    void descriptionOfExactly180CharactersIsAccepted() {
        Map<String, Object> raw = validConfig();
        raw.put("description", "x".repeat(180));
        assertThat(SPEC.validate(raw)).isEmpty();
    }

    @Test
    void unknownFieldsAndBadTypesAreNamed() {
        Map<String, Object> raw = validConfig();
        raw.put("apiSecret", "x");
        raw.put("batchSize", 101);
        raw.put("events", List.of("incidents", "logs"));
        raw.put("deltaSync", "yes");
        raw.put("pollInterval", "15 minutes");

        assertThat(SPEC.validate(raw)).extracting(ConfigProblem::toString).containsExactly(
                "apiSecret: unknown field; known fields are name, description, baseUrl, apiKey, apiKeyId, "
                        + "securityLevel, events, batchSize, deltaSync, pollInterval",
                "events: items must be among [incidents, alerts], got 'logs'",
                "batchSize: must be between 1 and 100, got 101",
                "deltaSync: must be true or false, got 'yes'",
                "pollInterval: must be an ISO-8601 duration such as PT5M, got '15 minutes'");
    }

    @Test
    void problemsNeverEchoASecretValue() {
        Map<String, Object> raw = validConfig();
        raw.put("apiKey", 12345);
        assertThat(SPEC.validate(raw)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("apiKey");
            assertThat(p.message()).doesNotContain("12345");
        });
    }

    @Test
    void bindAppliesDefaultsAndTypes() {
        Map<String, Object> raw = validConfig();
        raw.remove("securityLevel");
        raw.remove("batchSize");

        ConnectorConfig config = SPEC.bind(raw);

        assertThat(config.string("baseUrl")).isEqualTo("https://api-acme.xdr.eu.paloaltonetworks.com");
        assertThat(config.string("securityLevel")).isEqualTo("standard");
        assertThat(config.integer("batchSize")).isEqualTo(100L);
        assertThat(config.bool("deltaSync")).isTrue();
        assertThat(config.duration("pollInterval")).contains(Duration.ofMinutes(15));
        assertThat(config.stringList("events")).containsExactly("incidents");
        assertThat(config.secret("apiKey").reveal()).isEqualTo("s3cr3t-key-value");
    }

    @Test
    void bindRejectsAnInvalidConfigListingEveryProblem() {
        Map<String, Object> raw = validConfig();
        raw.remove("name");
        raw.put("apiKeyId", "two");

        assertThatThrownBy(() -> SPEC.bind(raw))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.remediation()).contains("Correct the named fields and try again");
                })
                .hasMessage("Invalid configuration: name: is required (Name); apiKeyId: must be a number, got 'two'");
    }

    @Test
    void duplicateFieldNamesAreRejected() {
        assertThatThrownBy(() -> ConfigSpec.of(ConfigField.string("name").build(), ConfigField.url("name").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Duplicate config field: 'name'");
    }

    @Test
    void aDefaultTheFieldWouldRejectIsRejectedAtDeclaration() {
        assertThatThrownBy(() -> ConfigSpec.of(
                ConfigField.enumeration("securityLevel", "standard", "advanced").defaultValue("stndard").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Default of config field 'securityLevel' must be one of [standard, advanced], got 'stndard'");
        assertThatThrownBy(() -> ConfigSpec.of(ConfigField.integer("batchSize").range(1, 100).defaultValue(500).build()))
                .hasMessage("Default of config field 'batchSize' must be between 1 and 100, got 500");
        assertThat(ConfigSpec.of(ConfigField.duration("poll").defaultValue(Duration.ofMinutes(5)).build())
                .bind(Map.of()).duration("poll")).contains(Duration.ofMinutes(5));
    }

    @Test
    void secretFieldsAreDeclaredByType() {
        assertThat(SPEC.secretFieldNames()).containsExactly("apiKey");
        assertThatThrownBy(() -> ConfigField.secret("token").defaultValue("x").build())
                .hasMessage("Secret field 'token' cannot have a default value");
    }
}
