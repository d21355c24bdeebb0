package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.connectorsdk.api.StreamSelection;
import org.junit.jupiter.api.Test;

/** What an instance's config selects of each stream, and which updates widen it. */
class CortexXdrSelectionTest {
    private static final String URL = "https://api-acme.xdr.eu.paloaltonetworks.com";
    private final CortexXdrConnector connector = new CortexXdrConnector();

    private StreamSelection assets(Object... filters) {
        return connector.selection(TestConfigs.config(URL, filters), CortexXdrConnector.ASSETS);
    }

    private boolean widens(StreamSelection before, StreamSelection after) {
        return connector.widens(CortexXdrConnector.ASSETS, before, after);
    }

    @Test
    void theSelectionNamesTheTenantAndTheStreamsFiltersButNoSecret() {
        StreamSelection s = assets("platformFilter", List.of("windows"), "lastSeenAfter", "2026-05-01T00:00:00Z");

        assertThat(s.source()).isEqualTo(URL + " key " + TestConfigs.KEY_ID).doesNotContain(TestConfigs.KEY);
        assertThat(s.filters()).isEqualTo(Map.of("platformFilter", List.of("windows"),
                "lastSeenAfter", "2026-05-01T00:00:00Z"));
        assertThat(assets().narrowed()).isFalse();
    }

    @Test
    void removingOrWideningAFilterOrAnotherTenantWidensAndNarrowingDoesNot() {
        StreamSelection windows = assets("platformFilter", List.of("windows"));
        StreamSelection windowsAndLinux = assets("platformFilter", List.of("windows", "linux"));
        StreamSelection may = assets("lastSeenAfter", "2026-05-01T00:00:00Z");
        StreamSelection april = assets("lastSeenAfter", "2026-04-01T00:00:00Z");

        assertThat(widens(windows, assets())).as("filter removed").isTrue();
        assertThat(widens(windows, windowsAndLinux)).as("value added").isTrue();
        assertThat(widens(may, april)).as("lastSeenAfter moved back").isTrue();
        assertThat(widens(assets(), connector.selection(TestConfigs.config("https://api-other.xdr.eu.paloaltonetworks.com"),
                CortexXdrConnector.ASSETS))).as("another tenant").isTrue();

        assertThat(widens(windowsAndLinux, windows)).as("value removed").isFalse();
        assertThat(widens(april, may)).as("lastSeenAfter moved forward").isFalse();
        assertThat(widens(assets(), windows)).as("filter added").isFalse();
        assertThat(widens(windows, windows)).as("unchanged").isFalse();
    }
}
