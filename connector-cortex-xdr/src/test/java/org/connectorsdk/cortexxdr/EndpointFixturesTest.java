package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpTransport.Response;

/** Every recorded get_endpoint reply in the shared fixtures parses, whatever its shape. */
class EndpointFixturesTest {
    private final CortexXdrClient client = CortexXdrClient.open(
            TestConfigs.settings("https://api-test.xdr.us.paloaltonetworks.com"), new FakeTenant(0));

    private static Response ok(byte[] body, String contentType) {
        return new Response(200, Map.of("content-type", List.of(contentType)), body);
    }

    @ParameterizedTest
    @CsvSource({
        "demisto-content__CoreIRApiModule__get_endpoints.json, 1111, -1",
        "demisto-content__CoreIRApiModule__get_endpoints_linux_response.json, 2, -1",
        "demisto-content__CoreIRApiModule__get_endpoints_mac_response.json, 1, -1",
        "demisto-content__CoreIRApiModule__get_endpoints_windows_response.json, 3, -1",
        "demisto-content__CortexXDRIR__get_all_endpoints.json, 1111, -1",
    })
    void recordedReplyParses(String file, String firstId, long total) {
        CortexXdrClient.EndpointPage page = client.parseEndpoints(
                ok(XdrErrorsTest.fixture(file), "application/json"));
        assertThat(page.endpoints()).isNotEmpty();
        assertThat(page.endpoints().get(0)).containsEntry("endpoint_id", firstId)
                .containsEntry("endpoint_name", "ip-3.3.3.3").containsEntry("first_seen", 1575795969644L)
                .containsEntry("group_name", null).containsEntry("ip", List.of("3.3.3.3"));
        assertThat(page.totalCount().isPresent()).isEqualTo(total >= 0);
    }

    @Test
    void theReplyArrayShapeKeepsEveryEndpoint() {
        CortexXdrClient.EndpointPage page = client.parseEndpoints(
                ok(XdrErrorsTest.fixture("demisto-content__CortexXDRIR__get_all_endpoints.json"), "application/json"));
        assertThat(page.endpoints()).extracting(e -> e.get("endpoint_id")).containsExactly("1111", "2222");
    }

    @Test
    void totalCountIsReadWhenPresent() {
        CortexXdrClient.EndpointPage page = client.parseEndpoints(ok(
                "{\"reply\":{\"total_count\":4321,\"result_count\":1,\"endpoints\":[{\"endpoint_id\":\"ab\"}]}}"
                        .getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(page.totalCount()).hasValue(4321);
    }

    @Test
    void anHtmlPageIsABadResponseSayingWhatCameBack() {
        assertThatThrownBy(() -> client.parseEndpoints(ok(
                "<!DOCTYPE html><html><title>Cortex XDR - Login</title></html>".getBytes(StandardCharsets.UTF_8),
                "text/html")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
                    assertThat(e.getMessage()).isEqualTo("Cortex XDR answered get_endpoint with HTTP 200, content"
                            + " type text/html, body starts with '<!DOCTYPE html><html><title>Cortex XDR -"
                            + " Login</title></html>', not JSON");
                });
    }

    @Test
    void jsonOfTheWrongShapeIsABadResponse() {
        assertThatThrownBy(() -> client.parseEndpoints(ok("{\"reply\":{\"incidents\":[]}}"
                .getBytes(StandardCharsets.UTF_8), "application/json")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Cortex XDR answered get_endpoint with HTTP 200, content type application/json, body starts"
                                + " with '{\"reply\":{\"incidents\":[]}}', not a JSON object with reply.endpoints[]"));
    }

    @Test
    void anEndpointWithoutIdIsABadResponse() {
        assertThatThrownBy(() -> client.parseEndpoints(ok("{\"reply\":{\"endpoints\":[{\"endpoint_name\":\"x\"}]}}"
                .getBytes(StandardCharsets.UTF_8), "application/json")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .startsWith("Cortex XDR answered get_endpoint with endpoint #0 of the page lacking an"
                                + " endpoint_id"));
    }

    @Test
    void truncatedJsonIsABadResponse() {
        assertThatThrownBy(() -> client.parseEndpoints(ok("{\"reply\":{\"endpoints\":[{\"endpoint_id\":"
                .getBytes(StandardCharsets.UTF_8), "application/json")))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE));
    }
}
