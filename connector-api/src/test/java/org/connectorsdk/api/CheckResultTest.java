package org.connectorsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CheckResultTest {

    @Test
    void aFailureFromAnExceptionCarriesItsKindSoAConfigProblemIsToldFromAVendorFailure() {
        CheckResult config = CheckResult.failed(CheckKind.AUTHENTICATION, new ConnectorException(
                ErrorKind.CONFIGURATION, "Config field 'apiKey' refers to environment variable K, which is not set",
                "Set K"));
        CheckResult vendor = CheckResult.failed(CheckKind.AUTHENTICATION, new ConnectorException(
                ErrorKind.AUTHENTICATION, "HTTP 401", "Check the key"));

        assertThat(config.errorKind()).hasValue(ErrorKind.CONFIGURATION);
        assertThat(config.isConfigurationProblem()).isTrue();
        assertThat(vendor.errorKind()).hasValue(ErrorKind.AUTHENTICATION);
        assertThat(vendor.isConfigurationProblem()).isFalse();
    }

    @Test
    void aFailureWithoutAKindGetsTheOneItsCheckStandsFor() {
        assertThat(CheckResult.failed(CheckKind.NETWORK_REACHABILITY, "refused", "fix").errorKind())
                .hasValue(ErrorKind.UNREACHABLE);
        assertThat(CheckResult.failed(CheckKind.AUTHORIZATION_SCOPE, ErrorKind.LICENSE, "no licence", "buy")
                .errorKind()).hasValue(ErrorKind.LICENSE);
        assertThat(new CheckResult(CheckKind.DATA_FETCH, CheckStatus.FAILED, "bad", Optional.empty(), Duration.ZERO)
                .errorKind()).hasValue(ErrorKind.BAD_RESPONSE);
    }

    @Test
    void onlyAFailureHasAnErrorKind() {
        assertThat(CheckResult.passed(CheckKind.TLS_HANDSHAKE, "ok").errorKind()).isEmpty();
        assertThat(CheckResult.skipped(CheckKind.TLS_HANDSHAKE, "skipped").errorKind()).isEmpty();
        assertThatThrownBy(() -> new CheckResult(CheckKind.TLS_HANDSHAKE, CheckStatus.PASSED, "ok", Optional.empty(),
                Duration.ZERO, Optional.of(ErrorKind.TLS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A PASSED check result has no error kind, got TLS");
        assertThat(CheckResult.failed(CheckKind.TLS_HANDSHAKE, ErrorKind.CONFIGURATION, "m", null)
                .withDuration(Duration.ofMillis(5)).errorKind()).hasValue(ErrorKind.CONFIGURATION);
    }
}
