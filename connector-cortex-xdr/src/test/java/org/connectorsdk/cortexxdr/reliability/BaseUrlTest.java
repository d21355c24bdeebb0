package org.connectorsdk.cortexxdr.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * The base URL is https only, with a host, no user-info, no query and no fragment; each
 * refusal is one clear problem naming the field, and never repeats a credential someone put
 * in the URL.
 */
class BaseUrlTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://api-acme.xdr.eu.paloaltonetworks.com | must start with https:// (the protocol prefix is required),"
                + " got 'http://api-acme.xdr.eu.paloaltonetworks.com'",
        "http://127.0.0.1:8443 | must start with https:// (the protocol prefix is required), got 'http://127.0.0.1:8443'",
        "ftp://api-acme.xdr.eu.paloaltonetworks.com | must start with https:// (the protocol prefix is required),"
                + " got 'ftp://api-acme.xdr.eu.paloaltonetworks.com'",
        "api-acme.xdr.eu.paloaltonetworks.com | must start with https:// (the protocol prefix is required),"
                + " got 'api-acme.xdr.eu.paloaltonetworks.com'",
        "https:/// | must name a host, got 'https:///'",
        "https://admin:hunter2pass@api-acme.xdr.eu.paloaltonetworks.com | must not contain user information"
                + " (credentials belong in their own fields)",
        "https://api-acme.xdr.eu.paloaltonetworks.com/?token=hunter2pass | must not contain a query or fragment;"
                + " remove what follows '?' or '#' in 'https://api-acme.xdr.eu.paloaltonetworks.com/'",
        "https://api-acme.xdr.eu.paloaltonetworks.com#hunter2pass | must not contain a query or fragment;"
                + " remove what follows '?' or '#' in 'https://api-acme.xdr.eu.paloaltonetworks.com'",
    })
    void aBaseUrlThatIsNotPlainHttpsIsOneClearProblem(String baseUrl, String problem) {
        assertThatThrownBy(() -> Configs.config(baseUrl, "base-url-test-key-0123456789"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.getMessage()).isEqualTo("Invalid configuration: baseUrl: " + problem);
                    assertThat(e.getMessage()).doesNotContain("hunter2pass").doesNotContain("base-url-test-key");
                    assertThat(e.remediation()).hasValue("Correct the named field and try again");
                });
    }
}
