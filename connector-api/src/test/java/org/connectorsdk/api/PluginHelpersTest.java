package org.connectorsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The helpers that keep a plugin's code short: GET requests, status errors, JSON replies, checks, pages. */
class PluginHelpersTest {
    private static final URI FINDINGS = URI.create("https://acme.example.com/v2/findings");

    @Test
    void getRequestPercentEncodesQueryNamesAndValues() {
        HttpTransport.Request request = HttpTransport.Request.get(FINDINGS)
                .query("updated_since", Instant.parse("2026-05-13T10:00:00Z"))
                .queryIfPresent("cursor", Optional.of("a b+c/d=é&"))
                .queryIfPresent("absent", Optional.empty())
                .query("limit", 100)
                .build();

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri().getRawQuery())
                .isEqualTo("updated_since=2026-05-13T10%3A00%3A00Z&cursor=a%20b%2Bc%2Fd%3D%C3%A9%26&limit=100");
        assertThat(request.uri().getQuery()).contains("cursor=a b+c/d=é&");
        assertThat(request.headers()).containsEntry("Accept", "application/json");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void getRequestKeepsAQueryAlreadyInTheUri() {
        HttpTransport.Request request = HttpTransport.Request.get(URI.create(FINDINGS + "?v=2")).query("q", "x y")
                .build();

        assertThat(request.uri()).hasToString(FINDINGS + "?v=2&q=x%20y");
    }

    @Test
    void describeLeavesOutTheQuery() {
        HttpTransport.Request request = HttpTransport.Request.get(FINDINGS).query("api_key", "k-123").build();

        assertThat(request.describe()).isEqualTo("GET https://acme.example.com/v2/findings");
    }

    @Test
    void statusesMapToTheStandardKinds() {
        assertThat(HttpStatusErrors.kindOf(401)).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(HttpStatusErrors.kindOf(402)).isEqualTo(ErrorKind.LICENSE);
        assertThat(HttpStatusErrors.kindOf(403)).isEqualTo(ErrorKind.AUTHORIZATION);
        assertThat(HttpStatusErrors.kindOf(404)).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(HttpStatusErrors.kindOf(429)).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(HttpStatusErrors.kindOf(503)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(HttpStatusErrors.kindOf(302)).isEqualTo(ErrorKind.BAD_RESPONSE);
    }

    @Test
    void anErrorStatusNamesVendorStatusAndRequestWithTheVendorsRemediation() {
        HttpStatusErrors errors = HttpStatusErrors.of("Acme")
                .remediation(ErrorKind.AUTHENTICATION, "Create a token under Settings > API");
        HttpTransport.Request request = HttpTransport.Request.get(FINDINGS).query("api_key", "k-123").build();

        assertThatThrownBy(() -> errors.requireSuccess(request, response(401, "")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                    assertThat(e.getMessage()).isEqualTo("Acme answered HTTP 401 (the credentials were rejected) to"
                            + " GET https://acme.example.com/v2/findings");
                    assertThat(e.remediation()).hasValue("Create a token under Settings > API");
                });
        assertThat(errors.exception(request, 403).remediation()).hasValue(
                "Give the credentials' user or role read access to the data the instance syncs");
        assertThat(errors.requireSuccess(request, response(200, "{}")).status()).isEqualTo(200);
    }

    @Test
    void jsonReplyReadsArraysOfObjectsAndText() {
        JsonReply reply = new JsonReply(Map.of("data", List.of(Map.of("id", "f-1")), "next_cursor", "c2",
                "total", 7));

        assertThat(reply.objects("data")).containsExactly(Map.of("id", "f-1"));
        assertThat(reply.objects("missing")).isEmpty();
        assertThat(reply.text("next_cursor")).hasValue("c2");
        assertThat(reply.text("total")).hasValue("7");
        assertThat(reply.text("missing")).isEmpty();
    }

    @Test
    void jsonReplyOfTheWrongShapeIsABadResponseNamingTheField() {
        JsonReply reply = new JsonReply(Map.of("data", "oops", "list", List.of(1)));

        assertThatThrownBy(() -> reply.objects("data")).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_RESPONSE);
            assertThat(e.getMessage()).isEqualTo("In the JSON reply, field 'data' is a string, expected an array of"
                    + " objects");
        });
        assertThatThrownBy(() -> reply.objects("list"))
                .hasMessage("In the JSON reply, an element of field 'list' is a number, expected an object");
        assertThatThrownBy(() -> new JsonReply(List.of()).object())
                .hasMessage("In the JSON reply, the body is an array, expected an object");
    }

    @Test
    void checkOfPassesWithItsTitleAndFailsWithTheExceptionsText() {
        ConnectionCheck ok = ConnectionCheck.of(CheckKind.AUTHENTICATION, "Acme accepted the token", (c, x) -> { });
        ConnectionCheck bad = ConnectionCheck.of(CheckKind.DATA_FETCH, "Read one page", (c, x) -> {
            throw new ConnectorException(ErrorKind.AUTHORIZATION, "No findings:read scope", "Add the scope");
        });

        CheckResult passed = ok.run(null, null);
        CheckResult failed = bad.run(null, null);

        assertThat(passed.passed()).isTrue();
        assertThat(passed.message()).isEqualTo("Acme accepted the token");
        assertThat(ok.kind()).isEqualTo(CheckKind.AUTHENTICATION);
        assertThat(failed.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(failed.kind()).isEqualTo(CheckKind.DATA_FETCH);
        assertThat(failed.message()).isEqualTo("No findings:read scope");
        assertThat(failed.remediation()).hasValue("Add the scope");
    }

    @Test
    void cursorPagesSayWhetherMoreComes() {
        Page next = Page.next(List.of(Map.of("id", 1)), Checkpoint.of("cursor", "c2"));
        Page last = Page.last(List.of());

        assertThat(next.done()).isFalse();
        assertThat(next.next()).isEqualTo(Checkpoint.of("cursor", "c2"));
        assertThat(next.totalCount()).isEmpty();
        assertThat(last.done()).isTrue();
        assertThat(last.next().isStart()).isTrue();
    }

    private static HttpTransport.Response response(int status, String body) {
        return new HttpTransport.Response(status, Map.of(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
