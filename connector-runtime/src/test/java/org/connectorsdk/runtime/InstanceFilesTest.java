package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.DeltaWindow;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.InstanceDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceFilesTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path f = dir.resolve("instance.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsTheDesignDocumentsExample() throws IOException {
        Path f = file("""
                {
                  "connector": "cortex-xdr",
                  "name": "tenant-eu",
                  "description": "EU production tenant",
                  "config": {
                    "baseUrl": "https://api-acme.xdr.eu.paloaltonetworks.com",
                    "apiKey": "env:CORTEX_XDR_API_KEY",
                    "apiKeyId": "2",
                    "events": ["incidents", "alerts"],
                    "maxRequestsPerSecond": 5
                  },
                  "schedule": { "type": "recurring", "every": "P1D", "start": "2026-05-13T16:37", "zone": "Asia/Calcutta" },
                  "transformMaps": {"Cortex XDR Asset Transform Map": {"rows": [{"target": "domain", "remove": true}]}}
                }
                """);

        InstanceFiles.Content content = InstanceFiles.load(f);

        InstanceDefinition d = content.definition();
        assertThat(d.connectorId()).isEqualTo("cortex-xdr");
        assertThat(d.name()).isEqualTo("tenant-eu");
        assertThat(d.description()).isEqualTo("EU production tenant");
        assertThat(d.config()).containsEntry("apiKey", "env:CORTEX_XDR_API_KEY").containsEntry("maxRequestsPerSecond", 5)
                .containsEntry("events", List.of("incidents", "alerts"));
        assertThat(d.schedule()).hasValueSatisfying(s -> assertThat(s.describe())
                .startsWith("The sync is scheduled for May 13, 2026 04:37 PM in Asia/Calcutta timezone"));
        assertThat(content.transformMaps()).isEqualTo(Map.of("Cortex XDR Asset Transform Map",
                Map.of("rows", List.of(Map.of("target", "domain", "remove", true)))));
        assertThat(InstanceFiles.read(f)).isEqualTo(d);
    }

    private void assertProblem(Path f, String message) {
        assertThatThrownBy(() -> InstanceFiles.read(f)).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
            assertThat(e.getMessage()).isEqualTo(message).doesNotContain("\n");
        });
    }

    @Test
    void eachProblemIsOneLineNamingTheFile() throws IOException {
        Path missing = dir.resolve("nope.json");
        assertProblem(missing, "Instance file " + missing + " does not exist");

        Path f = file("{\n  \"connector\": \"fake\",\n  \"name\": \n}");
        assertProblem(f, "Instance file " + f + " is not a valid JSON object at line 4, column 1: "
                + "Unexpected character ('}' (code 125)): expected a valid value (JSON String, Number, Array, Object or "
                + "token 'null', 'true' or 'false')");
        file("[1, 2]");
        assertThatThrownBy(() -> InstanceFiles.read(f)).hasMessageStartingWith("Instance file " + f
                + " is not a valid JSON object at line 1, column 1");
        file("{\"name\": \"eu\"}");
        assertProblem(f, "Instance file " + f + " has no \"connector\" (the connector id, e.g. cortex-xdr)");
        file("{\"connector\": \"fake\"}");
        assertProblem(f, "Instance file " + f + " has no \"name\" (the instance's unique name, e.g. tenant-eu)");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"config\": []}");
        assertProblem(f, "Instance file " + f + " has a \"config\" that is not a JSON object");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"conifg\": {}}");
        assertProblem(f, "Instance file " + f + " has an unknown field \"conifg\"; known fields are connector, name, "
                + "description, config, schedule, transformMaps, pollIntervals, deltaWindow, runDeadline");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"pollIntervals\": {\"incidents\": \"often\"}}");
        assertProblem(f, "Instance file " + f + " has a poll interval 'often' for stream 'incidents' that is not a "
                + "positive ISO-8601 duration such as PT5M");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"pollIntervals\": {\"incidents\": \"PT0S\"}}");
        assertProblem(f, "Instance file " + f + " has a poll interval 'PT0S' for stream 'incidents' that is not a "
                + "positive ISO-8601 duration such as PT5M");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"deltaWindow\": {\"overlap\": \"PT-1M\"}}");
        assertProblem(f, "Instance file " + f + " has a deltaWindow overlap 'PT-1M' that is not an ISO-8601 duration "
                + "of zero or more, e.g. {\"overlap\": \"PT15M\", \"settle\": \"PT2M\"}");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"deltaWindow\": {\"overlap\": \"PT15M\"}}");
        assertThat(InstanceFiles.read(f).deltaWindow()).contains(new DeltaWindow(Duration.ofMinutes(15),
                DeltaWindow.DEFAULT.settle()));
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"runDeadline\": \"PT2H\"}");
        assertThat(InstanceFiles.read(f).runDeadline()).contains(Duration.ofHours(2));
        for (String bad : new String[] {"\"2 hours\"", "\"PT0S\"", "\"-PT1H\"", "7200"}) {
            file("{\"connector\": \"fake\", \"name\": \"eu\", \"runDeadline\": " + bad + "}");
            assertProblem(f, "Instance file " + f + " has a runDeadline '" + bad.replace("\"", "") + "' that is not a "
                    + "positive ISO-8601 duration such as PT2H");
        }
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"schedule\": {\"type\": \"often\"}}");
        assertProblem(f, "Instance file " + f + " has an invalid schedule: schedule.type must be \"once\" or "
                + "\"recurring\", got 'often'");
        file("{\"connector\": \"fake\", \"name\": \"eu\", \"transformMaps\": []}");
        assertProblem(f, "Instance file " + f + " has a \"transformMaps\" that is not a JSON object keyed by map name");
        file("");
        assertProblem(f, "Instance file " + f + " is empty; it must hold a JSON object");
    }

    @Test
    void readsPollIntervalOverrides() throws IOException {
        Path f = file("{\"connector\": \"cortex-xdr\", \"name\": \"eu\", \"pollIntervals\": {\"incidents\": \"PT2M\"}}");

        assertThat(InstanceFiles.read(f).pollIntervals())
                .isEqualTo(java.util.Map.of("incidents", java.time.Duration.ofMinutes(2)));
    }
}
