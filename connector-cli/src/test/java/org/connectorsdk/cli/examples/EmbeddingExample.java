package org.connectorsdk.cli.examples;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.connectorsdk.api.ConfigProblem;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.host.ScheduleSpec;
import org.connectorsdk.runtime.ConfigSchemas;
import org.connectorsdk.runtime.ConnectorRegistry;

/** The README's embedding example; the README shows the part between the tags. */
final class EmbeddingExample {
    /** What the example computes, so a test can check it works and not only compiles. */
    record Outcome(String schema, List<ConfigProblem> problems, Instant nextRun) {
    }

    private EmbeddingExample() {
    }

    static Outcome run(Instant now) {
        // tag::readme[]
        ConnectorRegistry registry = ConnectorRegistry.fromClassPath();
        Connector acme = registry.get("acme-edr");

        // the setup form: JSON Schema for the platform's UI, and validation naming every bad field
        String schema = ConfigSchemas.toJson(acme.configSpec(), acme.descriptor().product());
        List<ConfigProblem> problems = acme.configSpec().validate(Map.of(
                "name", "edr-prod", "baseUrl", "http://edr.acme.example", "apiKey", "env:ACME_API_KEY"));
        // [baseUrl: must start with https:// (the protocol prefix is required), got 'http://edr.acme.example']

        ScheduleSpec schedule = ScheduleSpec.fromMap(Map.of(
                "type", "recurring", "every", "P1D", "start", "2026-05-13T16:37", "zone", "Asia/Calcutta"));
        Instant nextRun = schedule.nextRunAfter(now).orElseThrow();
        // end::readme[]
        return new Outcome(schema, problems, nextRun);
    }
}
