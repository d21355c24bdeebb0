package org.connectorsdk.runtime.internal.sync;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.ConnectionCheck;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a connector's connection checks in order, times each on the context's clock, and skips
 * every check after the first failure. No exception escapes a check: each becomes a failed
 * result, so a report always has one result per check.
 */
public final class ConnectionTester {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTester.class);

    /** Times checks on this clock; null means the context's clock. */
    private final Clock clock;

    /** A tester that times checks on each context's clock. */
    public ConnectionTester() {
        this.clock = null;
    }

    /** A tester that times checks on {@code clock}. */
    public ConnectionTester(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Runs {@code connector}'s checks against {@code config}. */
    public CheckReport run(Connector connector, ConnectorConfig config, ConnectorContext context) {
        return run(connector, config, context, result -> { });
    }

    /** Runs the checks, telling {@code each} of every result (passed, failed or skipped) as it is known. */
    public CheckReport run(Connector connector, ConnectorConfig config, ConnectorContext context,
            Consumer<CheckResult> each) {
        requireNonNull(connector, "connector is null");
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        Clock clock = this.clock != null ? this.clock : context.clock();
        List<CheckResult> results = new ArrayList<>();
        CheckResult failed = null;
        for (ConnectionCheck check : connector.connectionChecks()) {
            CheckKind kind = check.kind();
            if (failed != null) {
                results.add(CheckResult.skipped(kind, "Skipped: " + failed.kind() + " failed"));
                each.accept(results.get(results.size() - 1));
                continue;
            }
            if (context.cancellation().isCancelled()) {
                results.add(CheckResult.skipped(kind, "Skipped: the connection test was cancelled"));
                each.accept(results.get(results.size() - 1));
                continue;
            }
            Instant started = clock.instant();
            CheckResult result = runOne(connector, check, kind, config, context);
            Duration took = Duration.between(started, clock.instant());
            result = result.withDuration(took.isNegative() ? Duration.ZERO : took);
            LOG.debug("Check {} of {}: {} in {} ms", kind, context.instanceName(), result.status(), result.duration().toMillis());
            results.add(result);
            each.accept(result);
            if (!result.passed()) {
                failed = result;
            }
        }
        return new CheckReport(results);
    }

    private static CheckResult runOne(Connector connector, ConnectionCheck check, CheckKind kind,
            ConnectorConfig config, ConnectorContext context) {
        CheckResult result;
        try {
            result = check.run(config, context);
        } catch (ConnectorException e) {
            return CheckResult.failed(kind, e);
        } catch (RuntimeException e) {
            LOG.warn("Check {} of connector {} threw {}", kind, id(connector), e.getClass().getName());
            return CheckResult.failed(kind, "Check " + kind + " failed unexpectedly: " + e.getClass().getName() + ": "
                    + e.getMessage(), defect(connector));
        }
        if (result == null || result.kind() != kind) {
            // a check answering for another step would make the report lie about what was tested
            String what = result == null ? "no result" : "a result for " + result.kind();
            return CheckResult.failed(kind, "Internal error (" + ErrorKind.INTERNAL + "): check " + kind + " returned "
                    + what, defect(connector));
        }
        return result;
    }

    private static String defect(Connector connector) {
        return "This is a defect in connector " + id(connector) + "; report it with the connector's version and this message";
    }

    private static String id(Connector connector) {
        try {
            return connector.descriptor().id();
        } catch (RuntimeException e) {
            return connector.getClass().getName();
        }
    }
}
