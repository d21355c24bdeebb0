package org.connectorsdk.runtime.internal.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.ErrorInfo;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.ScheduleState.Retry;

/**
 * When a scheduled run that failed is tried again before the next occurrence: only when it ended
 * ERRORED with a kind that may pass on its own ({@link ErrorKind#isTransient()}: a server fault
 * or timeout, a rate limit, an unreachable host), at most {@code maxRetries} times in a row, the
 * n-th after {@code first} doubled n-1 times and capped at {@code max}. Authentication,
 * authorization, licence, configuration and bad-request errors are never retried: trying again
 * cannot help.
 *
 * @param maxRetries retries in a row after a failed run; 0 retries nothing
 * @param first      the wait before the first retry
 * @param max        the longest wait
 */
public record RetryPolicy(int maxRetries, Duration first, Duration max) {
    /** Three retries, after 1, 2 and 4 minutes. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(15));

    public RetryPolicy {
        requireNonNull(first, "first is null");
        requireNonNull(max, "max is null");
        if (maxRetries < 0 || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("Invalid retry policy: " + maxRetries + " retries, first after "
                    + first + ", at most " + max);
        }
    }

    /**
     * The retry that follows {@code run}, which ended at {@code now}; empty when it succeeded,
     * failed in a way a retry cannot help, or used up its retries.
     *
     * @param previous the retry {@code run} was, if it was one
     */
    Optional<Retry> after(RunSummary run, Optional<Retry> previous, Instant now) {
        if (run.state() != ConnectorState.ERRORED) {
            return Optional.empty();
        }
        ErrorKind kind = run.error().map(ErrorInfo::kind).orElse(ErrorKind.INTERNAL);
        int attempt = previous.map(r -> r.attempt() + 1).orElse(1);
        if (!kind.isTransient() || attempt > maxRetries) {
            return Optional.empty();
        }
        Duration wait = first;
        for (int i = 1; i < attempt && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return Optional.of(new Retry(attempt, maxRetries, now.plus(wait.compareTo(max) > 0 ? max : wait), kind));
    }
}
