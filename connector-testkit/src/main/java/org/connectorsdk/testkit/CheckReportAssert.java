package org.connectorsdk.testkit;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.CheckKind;
import org.connectorsdk.api.host.CheckReport;
import org.connectorsdk.api.CheckResult;
import org.connectorsdk.api.CheckStatus;

/**
 * Assertions on a connection test's {@link CheckReport}:
 *
 * <pre>{@code
 * assertThat(report).failedAt(CheckKind.AUTHENTICATION)
 *         .withRemediationContaining("API key")
 *         .skippedTheRest();
 * }</pre>
 */
public final class CheckReportAssert extends AbstractAssert<CheckReportAssert, CheckReport> {

    CheckReportAssert(CheckReport actual) {
        super(actual, CheckReportAssert.class);
    }

    /** Every check ran and passed. */
    public CheckReportAssert passedAll() {
        isNotNull();
        if (!actual.allPassed()) {
            String why = actual.firstFailure().map(f -> f.kind() + " failed: " + f.message()
                    + f.remediation().map(r -> " (remediation: " + r + ")").orElse(""))
                    .orElse(actual.results().isEmpty() ? "the report is empty" : "not every check passed");
            failWithMessage("%s", "Expected every check to pass, but " + why + ". Found " + render(actual));
        }
        return this;
    }

    /** The first failure is the check of {@code kind}. */
    public CheckReportAssert failedAt(CheckKind kind) {
        isNotNull();
        Optional<CheckResult> failure = actual.firstFailure();
        if (failure.isEmpty() || failure.get().kind() != kind) {
            failWithMessage("%s", "Expected the checks to fail at " + kind + " but "
                    + failure.map(f -> "the first failure was " + f.kind() + " (" + f.message() + ")")
                            .orElse("none failed") + ". Found " + render(actual));
        }
        return this;
    }

    /** Some check failed (whichever). */
    public CheckReportAssert failed() {
        isNotNull();
        if (actual.firstFailure().isEmpty()) {
            failWithMessage("%s", "Expected a check to fail but none did. Found " + render(actual));
        }
        return this;
    }

    /** The first failure's message contains {@code text}. */
    public CheckReportAssert withMessageContaining(String text) {
        CheckResult failure = firstFailure();
        if (!failure.message().contains(text)) {
            failWithMessage("%s", "Expected the " + failure.kind() + " failure's message to contain \"" + text
                    + "\" but it was \"" + failure.message() + "\"");
        }
        return this;
    }

    /** The first failure's remediation contains {@code text}. */
    public CheckReportAssert withRemediationContaining(String text) {
        CheckResult failure = firstFailure();
        if (failure.remediation().isEmpty() || !failure.remediation().get().contains(text)) {
            failWithMessage("%s", "Expected the " + failure.kind() + " failure's remediation to contain \"" + text
                    + "\" but it was " + failure.remediation().map(r -> "\"" + r + "\"").orElse("absent"));
        }
        return this;
    }

    /** The first failure says what happened and how to fix it: a non-blank message and remediation. */
    public CheckReportAssert failedCleanly() {
        CheckResult failure = firstFailure();
        if (failure.message().isBlank() || failure.remediation().filter(r -> !r.isBlank()).isEmpty()) {
            failWithMessage("%s", "Expected the " + failure.kind() + " failure to carry a message and a remediation"
                    + " but found message \"" + failure.message() + "\" and remediation "
                    + failure.remediation().map(r -> "\"" + r + "\"").orElse("absent"));
        }
        return this;
    }

    /** Every check after the first failure was skipped. */
    public CheckReportAssert skippedTheRest() {
        CheckResult failure = firstFailure();
        List<CheckResult> results = actual.results();
        List<CheckResult> after = results.subList(results.indexOf(failure) + 1, results.size());
        List<CheckResult> ran = after.stream().filter(r -> r.status() != CheckStatus.SKIPPED).toList();
        if (!ran.isEmpty()) {
            failWithMessage("%s", "Expected every check after " + failure.kind() + " to be skipped but "
                    + ran.stream().map(r -> r.kind() + " " + r.status()).collect(Collectors.joining(", "))
                    + ". Found " + render(actual));
        }
        return this;
    }

    /** The checks ran in the order of {@link CheckKind}, each kind at most once. */
    public CheckReportAssert ranInOrder() {
        isNotNull();
        List<CheckKind> kinds = kinds();
        for (int i = 1; i < kinds.size(); i++) {
            if (kinds.get(i).ordinal() <= kinds.get(i - 1).ordinal()) {
                failWithMessage("%s", "Expected the checks in the order of CheckKind, each once, but found " + kinds);
            }
        }
        return this;
    }

    /** The report holds exactly these kinds, in this order. */
    public CheckReportAssert hasKinds(CheckKind... expected) {
        isNotNull();
        if (!kinds().equals(List.of(expected))) {
            failWithMessage("%s", "Expected the checks " + List.of(expected) + " but found " + kinds());
        }
        return this;
    }

    /** The check of {@code kind} has {@code status}. */
    public CheckReportAssert hasStatus(CheckKind kind, CheckStatus status) {
        isNotNull();
        Optional<CheckResult> result = actual.results().stream().filter(r -> r.kind() == kind).findFirst();
        if (result.isEmpty() || result.get().status() != status) {
            failWithMessage("%s", "Expected " + kind + " to be " + status + " but "
                    + result.map(r -> "it was " + r.status() + " (" + r.message() + ")").orElse("it did not run")
                    + ". Found " + render(actual));
        }
        return this;
    }

    private List<CheckKind> kinds() {
        return actual.results().stream().map(CheckResult::kind).toList();
    }

    private CheckResult firstFailure() {
        isNotNull();
        return actual.firstFailure().orElseThrow(() -> failure("%s",
                "Expected a failed check but none failed. Found " + render(actual)));
    }

    static String render(CheckReport report) {
        if (report.results().isEmpty()) {
            return "no results";
        }
        return report.results().stream()
                .map(r -> r.kind() + " " + r.status() + " \"" + r.message() + "\""
                        + r.remediation().map(x -> " remediation \"" + x + "\"").orElse(""))
                .collect(Collectors.joining("; ", "[", "]"));
    }
}
