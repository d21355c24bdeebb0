package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.connectorsdk.cli.PackagedJarIT.Result;
import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A config problem that only a check can find is bad input: the packaged {@code check} and
 * {@code sync} exit 2 with one line naming the field, never 1 as for a vendor failure.
 */
class ConfigProblemsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "it-config-key-0123456789";
    private static CortexXdrSimulator tenant;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        tenant = CortexXdrSimulator.builder().endpoints(3).seed(1).standardKey("1", KEY).start();
    }

    @AfterAll
    static void stop() {
        tenant.close();
    }

    /** An instance of the simulator with one config field replaced by {@code value}. */
    private Path instance(String field, String value) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("key.txt"), KEY);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", tenant.baseUrl());
        config.put("apiKey", "file:" + keyFile);
        config.put("apiKeyId", "1");
        config.put("dataToSync", "assets");
        config.put("caCertificate", tenant.caCertificatePem());
        config.put(field, value.replace("DIR", dir.toString()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("connector", "cortex-xdr");
        doc.put("name", "tenant-config-it");
        doc.put("config", config);
        Path file = dir.resolve("instance.json");
        Files.write(file, JSON.writeValueAsBytes(doc));
        return file;
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "apiKey|env:CONNECTORS_IT_VARIABLE_THAT_IS_NOT_SET|Config field 'apiKey' refers to environment variable"
                + " CONNECTORS_IT_VARIABLE_THAT_IS_NOT_SET, which is not set",
        "apiKey|file:DIR/no-such-key.txt|Config field 'apiKey' refers to file ",
        "caCertificate|-----BEGIN CERTIFICATE-----garbage-----END CERTIFICATE-----|The CA certificate"
                + " (caCertificate) is not a valid PEM X.509 certificate",
        "lastSeenAfter|2026-02-30T00:00:00Z|Config field 'lastSeenAfter' is not an ISO-8601 instant: '2026-02-30T00:00:00Z'",
    })
    void checkAndSyncExitTwoWithOneLineNamingTheField(String field, String value, String expected) throws Exception {
        Path instance = instance(field, value);

        Result check = PackagedJarIT.runJar("check", "--instance", instance.toString());
        Result sync = PackagedJarIT.runJar("sync", "--instance", instance.toString(), "--out",
                dir.resolve("out").toString(), "--state", dir.resolve("state").toString());

        for (Result result : new Result[] {check, sync}) {
            assertThat(result.code()).as(result.err()).isEqualTo(2);
            assertThat(result.err().lines()).as(result.err()).singleElement().asString()
                    .startsWith("connectors: ").contains(expected).doesNotContain(KEY);
        }
        assertThat(check.out()).isEmpty();
        // --out may exist (it is checked to be writable before any work), but holds nothing
        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (var files = Files.walk(out)) {
                assertThat(files.filter(Files::isRegularFile)).as("nothing published").isEmpty();
            }
        }
    }
}
