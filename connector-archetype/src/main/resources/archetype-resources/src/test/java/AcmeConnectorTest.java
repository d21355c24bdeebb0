package ${package};

import static org.connectorsdk.testkit.ConnectorAssertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.connectorsdk.testkit.ConnectorTestKit;
import org.connectorsdk.testkit.FixtureServer;
import org.connectorsdk.testkit.InstanceUnderTest;
import org.connectorsdk.testkit.MutableClock;
import org.connectorsdk.testkit.SyncResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connector's own tests: its map, and two syncs against the recorded answers. */
class AcmeConnectorTest {
    @RegisterExtension
    static final FixtureServer SERVER = FixtureServer.start().loadRecorded("fixtures/acme");

    private static ConnectorTestKit kit() {
        return ConnectorTestKit.connector("acme-edr").config(Map.of("apiKey", "test-key-acme", "pageSize", 2))
                .against(SERVER);
    }

    @Test
    void aFindingBecomesAFindingOfTheModel() {
        assertThat(kit().plugin()).transformMap("Acme Finding Transform Map").readsStream("findings")
                .producesKind("finding")
                .appliedTo(Map.of("id", "AC-1", "title", "OpenSSL buffer overflow", "cve", "CVE-2022-3602",
                        "severity", "High", "first_seen", "2025-12-02T10:00:00+01:00", "state", "reopened"))
                .hasFieldEqualTo("externalFindingId", "AC-1")
                .hasFieldEqualTo("findingType.vulnerability.cveId", "CVE-2022-3602")
                .hasFieldEqualTo("severity", 4)
                .hasFieldEqualTo("firstFoundOn", "2025-12-02T09:00:00.000Z")
                .hasFieldEqualTo("status", "Re-Opened")
                .conformsTo("finding");
    }

    @Test
    void anUnknownStateRejectsTheFindingNamingTheRow() {
        assertThat(kit().plugin()).transformMap("Acme Finding Transform Map")
                .rejects(Map.of("id", "AC-9", "title", "t", "state", "snoozed"),
                        "'state' (-> status): converter 'acme-edr:status' failed");
    }

    @Test
    void theFirstSyncReadsEveryPageAndTheSecondOnlyWhatChangedInItsWindow() {
        MutableClock clock = MutableClock.at("2026-01-01T01:00:00Z");
        try (InstanceUnderTest acme = kit().clock(clock).register()) {
            SyncResult first = acme.sync();

            assertThat(first).isProcessed().hasRecords("findings", 3);
            assertThat(first.summary()).hasPages("findings", 2);
            assertThat(first).records("findings").allConformTo("finding")
                    .recordWith("externalFindingId", "AC-2").hasFieldEqualTo("status", "Fixed")
                    .hasFieldEqualTo("updatedAt", "2025-12-30T17:45:00.000Z");

            // an hour later the window is [00:59 watermark - 5 min overlap, 02:00 - 1 min settle)
            clock.set(Instant.parse("2026-01-01T02:00:00Z"));
            SERVER.loadRecorded("fixtures/acme-changed"); // answers updated_since=2026-01-01T00:54:00Z alone
            SyncResult second = acme.sync();

            assertThat(second).isProcessed().hasRecords("findings", 1);
            assertThat(second).records("findings").recordWith("externalFindingId", "AC-2")
                    .hasFieldEqualTo("status", "Re-Opened").hasFieldEqualTo("updatedAt", "2026-01-01T01:30:00.000Z");
        }
    }
}
