package org.connectorsdk.cli.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.connectorsdk.api.ConfigProblem;
import org.junit.jupiter.api.Test;

/** The README's embedding example does what its comments say. */
class EmbeddingExampleTest {
    @Test
    void findsValidatesExportsAndSchedules() {
        EmbeddingExample.Outcome outcome = EmbeddingExample.run(Instant.parse("2026-06-01T00:00:00Z"));

        assertThat(outcome.schema()).contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\"");
        assertThat(outcome.problems()).containsExactly(new ConfigProblem("baseUrl",
                "must start with https:// (the protocol prefix is required), got 'http://edr.acme.example'"));
        assertThat(outcome.nextRun()).isEqualTo(Instant.parse("2026-06-01T11:07:00Z"));
    }
}
