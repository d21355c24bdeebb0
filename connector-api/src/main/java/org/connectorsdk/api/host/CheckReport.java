package org.connectorsdk.api.host;

import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The results of a whole connection test, in the order the checks ran.
 *
 * @param results one result per check
 */
public record CheckReport(List<CheckResult> results) {
    public CheckReport {
        results = List.copyOf(requireNonNull(results, "results is null"));
    }

    /** Whether every check passed (an empty report has not passed). */
    public boolean allPassed() {
        return !results.isEmpty() && results.stream().allMatch(CheckResult::passed);
    }

    /** The first failed check, if any. */
    public Optional<CheckResult> firstFailure() {
        return results.stream().filter(r -> r.status() == CheckStatus.FAILED).findFirst();
    }
}
