package org.connectorsdk.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.runtime.ConnectorRuntime;
import org.connectorsdk.runtime.FileStateStore;
import org.connectorsdk.runtime.JsonLinesSink;
import org.connectorsdk.store.postgres.PostgresStore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Figure 6: endpoints per second of a full assets-and-findings sync into PostgreSQL (the
 * transactional sink: COPY, upsert, reconciliation, change counts) against the same sync into the
 * JSON Lines sink, on one unlimited tenant, alternately, best time of each. Skipped, with a line
 * saying why, where no embedded PostgreSQL server can start.
 */
final class PostgresFigure {
    private PostgresFigure() {
    }

    static Optional<Figure> run(int endpoints, int rounds, Path work, PrintStream out) throws Exception {
        EmbeddedPostgres server;
        try {
            server = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        } catch (IOException | RuntimeException e) {
            out.println("  postgres: skipped, no embedded PostgreSQL server could start here (" + e.getMessage()
                    + ")");
            return Optional.empty();
        }
        Path files = work.resolve("postgres-figure-out");
        try (server; Tenant tenant = Tenant.start(endpoints, 0);
                PostgresStore store = PostgresStore.open("jdbc:postgresql://127.0.0.1:" + server.getPort()
                        + "/postgres", "postgres", "");
                ConnectorRuntime jsonLines = ConnectorRuntime.builder().sink(new JsonLinesSink(files))
                        .stateStore(FileStateStore.open(work.resolve("postgres-figure-state"))).workers(1).build();
                ConnectorRuntime postgres = ConnectorRuntime.builder().sink(store.sink())
                        .stateStore(store.stateStore()).workers(1).build()) {
            List<Double> fileSeconds = new ArrayList<>();
            List<Double> dbSeconds = new ArrayList<>();
            RunSummary last = null;
            for (int round = 0; round < rounds; round++) {
                // a fresh instance each round: a second run of one instance would be a delta run
                fileSeconds.add(timed(jsonLines, tenant, "files-" + round));
                Tenant.deleteTree(files);
                dbSeconds.add(timed(postgres, tenant, "db-" + round));
                last = postgres.history("db-" + round).runs().get(0);
            }
            double fileRate = endpoints / fileSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double dbRate = endpoints / dbSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double ratio = dbRate / fileRate;
            long added = last.streams().get("assets").changes().orElseThrow().added();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("endpoints", endpoints);
            d.put("rounds", rounds);
            d.put("postgresSeconds", dbSeconds);
            d.put("jsonLinesSeconds", fileSeconds);
            d.put("postgresEndpointsPerSecond", Math.round(dbRate));
            d.put("jsonLinesEndpointsPerSecond", Math.round(fileRate));
            d.put("assetsNew", added);
            d.put("findingsNew", last.streams().get("findings").changes().map(c -> c.added()).orElse(0L));
            return Optional.of(new Figure("postgres", String.format(
                    "full sync with findings, %,d endpoints, into PostgreSQL", endpoints),
                    String.format("%,.0f endpoints/s", dbRate),
                    String.format("JSON Lines sink %,.0f endpoints/s", fileRate), ratio, ">= 0.7",
                    added == endpoints && ratio >= 0.7, d));
        }
    }

    private static double timed(ConnectorRuntime runtime, Tenant tenant, String name) {
        runtime.register(tenant.unthrottled(name, "assets-and-findings"));
        long t0 = System.nanoTime();
        RunSummary summary = runtime.runNow(name);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (summary.state() != ConnectorState.PROCESSED) {
            throw new IllegalStateException("The sync of " + name + " ended " + summary.state() + ": "
                    + summary.error().map(Object::toString).orElse(""));
        }
        return seconds;
    }
}
