package org.connectorsdk.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.connectorsdk.api.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;

/** TEMPORARY stand-in for H2's connection tester (issue 3), deleted when the real one lands on main. */
final class ConnectionTester {
    private final Clock clock;

    ConnectionTester(Clock clock) {
        this.clock = clock;
    }

    CheckReport run(Connector connector, ConnectorConfig config, ConnectorContext context) {
        List<CheckResult> results = new ArrayList<>();
        boolean failed = false;
        for (ConnectionCheck check : connector.connectionChecks()) {
            if (failed) {
                results.add(CheckResult.skipped(check.kind(), "Skipped after an earlier failure"));
                continue;
            }
            Instant start = clock.instant();
            CheckResult r;
            try {
                r = check.run(config, context);
            } catch (ConnectorException e) {
                r = CheckResult.failed(check.kind(), e);
            }
            results.add(r.withDuration(Duration.between(start, clock.instant())));
            failed = !r.passed();
        }
        return new CheckReport(results);
    }
}
