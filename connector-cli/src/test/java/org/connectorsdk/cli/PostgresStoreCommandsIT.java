package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** sync, status and export with {@code --store} against a real PostgreSQL server and the simulated tenant. */
class PostgresStoreCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** jsonb keeps a number's value, not its spelling: 10.0 reads back as 10. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
    private static final String KEY = "sim-key-postgres-1f2e3d4c5b6a7980";
    private static EmbeddedPostgres server;
    private static CortexXdrSimulator tenant;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        tenant = CortexXdrSimulator.builder().endpoints(40).seed(11).standardKey("1", KEY).start();
    }

    @AfterAll
    static void stop() throws IOException {
        tenant.close();
        server.close();
    }

    @AfterEach
    void resetEnvironment() {
        StoreOptions.environment = System.getenv();
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }

    @Test
    void syncFillsTheTablesAndPrintsChangeCountsAndExportEqualsTheJsonLinesSinksOutput() throws Exception {
        StoreOptions.environment = Map.of("PGUSER", "postgres");
        Path instance = instanceFile();

        var first = ConnectorsCliTest.run("sync", "--instance", instance.toString(), "--store", url());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("  assets:    40 read, 40 written, 0 rejected, 1 pages; 40 new, 0 updated, "
                + "0 unchanged, 0 gone").containsPattern("  findings:  [0-9,]+ reported; [0-9,]+ new, 0 updated, 0 "
                + "unchanged, 0 fixed, 0 reopened").contains("  output:    PostgresStore[" + url() + "]");
        assertThat(count("SELECT count(*) FROM connectors.assets")).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM connectors.findings WHERE status = 'OPEN'")).isPositive();

        var status = ConnectorsCliTest.run("status", "--store", url());
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).contains("pg-tenant (cortex-xdr): PROCESSED");

        var files = ConnectorsCliTest.run("sync", "--instance", instance.toString(), "--out",
                dir.resolve("out").toString(), "--state", dir.resolve("state").toString());
        assertThat(files.code()).as(files.err()).isZero();
        var export = ConnectorsCliTest.run("export", "--store", url(), "--instance", "pg-tenant", "--stream",
                "assets");
        assertThat(export.code()).as(export.err()).isZero();
        Map<String, JsonNode> exported = byId(export.out().lines().toList());
        Map<String, JsonNode> written = byId(Files.readAllLines(assetsFile()));
        assertThat(exported.keySet()).isEqualTo(written.keySet());
        written.forEach((id, node) -> assertThat(node.equals(NUMBERS_BY_VALUE, exported.get(id)))
                .as("asset %s exported as%n%s%nwritten as%n%s", id, exported.get(id), node).isTrue());
    }

    @Test
    void aPasswordGivenAsAPlainArgumentIsRefusedWithoutEchoingIt() throws IOException {
        StoreOptions.environment = Map.of("PGUSER", "postgres");
        var result = ConnectorsCliTest.run("sync", "--instance", instanceFile().toString(), "--store", url(),
                "--store-password", "hunter2-plain");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--store-password takes a reference, env:NAME or file:PATH, never the "
                + "value itself").doesNotContain("hunter2-plain");
    }

    @Test
    void aStoreWithoutAUserSaysWhereTheUserComesFrom() throws IOException {
        StoreOptions.environment = Map.of();
        var result = ConnectorsCliTest.run("status", "--store", url());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--store needs a database user, and PGUSER is not set");
    }

    private Path instanceFile() throws IOException {
        Path key = dir.resolve("key.txt");
        Files.writeString(key, KEY);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", "file:" + key);
        config.put("apiKeyId", "1");
        config.put("securityLevel", "standard");
        config.put("dataToSync", "assets-and-findings");
        config.put("caCertificate", tenant.caCertificatePem());
        Path file = dir.resolve("pg-tenant.json");
        Files.write(file, JSON.writeValueAsBytes(Map.of("connector", "cortex-xdr", "name", "pg-tenant",
                "description", "simulated tenant", "config", config)));
        return file;
    }

    private Path assetsFile() throws IOException {
        try (Stream<Path> runs = Files.list(dir.resolve("out/pg-tenant"))) {
            return runs.filter(Files::isDirectory).max(Comparator.naturalOrder()).orElseThrow()
                    .resolve("assets.jsonl");
        }
    }

    /**
     * The lines as JSON trees by asset id: key order is the database's, the content must be equal.
     * The identity's version is the endpoint's last-seen time, which the live tenant moves between
     * the two syncs.
     */
    private static Map<String, JsonNode> byId(List<String> lines) throws IOException {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("_meta")).remove("version");
            out.put(node.get("externalAssetId").asText(), node);
        }
        return out;
    }

    private int count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), "postgres", "");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
