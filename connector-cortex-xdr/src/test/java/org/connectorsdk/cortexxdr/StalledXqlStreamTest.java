package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Page;
import org.connectorsdk.api.PageRequest;
import org.connectorsdk.api.StreamReader;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.connectorsdk.cortexxdr.simulator.TenantFault;

/**
 * A vulnerability result stream that stops sending, on the runtime's real transport: the
 * attempt ends within the request timeout instead of holding the run open, and the page step
 * tried again reads a fresh stream.
 */
class StalledXqlStreamTest {
    private static final String KEY = "standard-key-for-stall-tests-0123";

    @Test
    void aStalledXqlStreamEndsTheAttemptWithinTheRequestTimeoutAndTheRetriedPageReadsAFreshOne() {
        try (CortexXdrSimulator sim = CortexXdrSimulator.builder().endpoints(400).seed(7).standardKey("1", KEY)
                .start()) {
            sim.faults().onPath(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM).request(1)
                    .respond(TenantFault.stalledBody(Duration.ofSeconds(60)));
            Map<String, Object> raw = TestConfigs.raw(sim.baseUrl());
            raw.put("apiKey", KEY);
            raw.put("apiKeyId", "1");
            raw.put("caCertificate", sim.caCertificatePem());
            raw.put("requestTimeout", "PT1S");

            try (StreamReader reader = new CortexXdrConnector().open(TestConfigs.config(raw),
                    RuntimeContexts.context("tenant-stall", List.of(KEY), Clock.systemUTC()))) {
                PageRequest first = PageRequest.first(CortexXdrConnector.ASSETS);
                long started = System.nanoTime();
                ConnectorException stalled = catchThrowableOfType(ConnectorException.class, () -> reader.read(first));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(stalled.kind()).isEqualTo(ErrorKind.TRANSIENT);
                assertThat(stalled.getMessage()).endsWith("no byte of the response body of POST "
                        + CortexXdrSimulator.GET_QUERY_RESULTS_STREAM + " arrived within 1000 ms (the request timeout)");
                // one PENDING poll (1 s) and the timeout, not the 60 s stall
                assertThat(took).isLessThan(Duration.ofSeconds(20));

                Page retried = reader.read(first);
                assertThat(retried.records()).isNotEmpty().allSatisfy(e -> assertThat(e).containsKey("cves"));
                assertThat(sim.requestCount(CortexXdrSimulator.GET_QUERY_RESULTS_STREAM)).isEqualTo(2);
            }
        }
    }
}
