package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpSettings;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.HttpTransport.Response;
import org.connectorsdk.api.SecretMask;

/**
 * The Cortex XDR public API for one tenant and one API key, over the runtime's
 * {@link HttpTransport} (which owns retries, backoff, the shared rate budget, trust and
 * redaction). Every call is {@code POST <baseUrl><path>} with {@code {"request_data": {...}}};
 * authentication headers are made fresh for every attempt, retries included.
 *
 * <p>For helpers in this package (the XQL vulnerability enrichment among them):
 * {@link #transport()}, {@link #settings()} and {@link #context()} for their own calls;
 * {@link #send(String, Object)} for a raw response; {@link #parse(String, Response)} for the JSON
 * root of a 2xx reply, turning any error reply into a {@link ConnectorException} of the right
 * kind with the vendor's message and a remediation ({@link XdrErrors}); {@link #redact(String)} so no
 * message carries the key.
 *
 * <p>One client is made per run or per check with {@link #open(CortexXdrSettings, ConnectorContext)};
 * it holds no connection of its own.
 */
final class CortexXdrClient {
    static final String GET_ENDPOINT = "/public_api/v1/endpoints/get_endpoint";
    static final String GET_INCIDENTS = "/public_api/v1/incidents/get_incidents";
    static final String GET_ALERTS = "/public_api/v2/alerts/get_alerts_multi_events";
    static final String VALIDATE_KEY = "/api_keys/validate/";

    /**
     * Header names whose values never appear in a log line or message. The key ID and the
     * timestamp are not secrets (check messages name the key ID), and the transport masks every
     * occurrence of a sensitive value in text: a key ID such as "3" would mask that digit in every
     * port, status and count of every message.
     */
    static final Set<String> SENSITIVE_HEADERS = Set.of("Authorization", "x-xdr-nonce");

    private static final char[] NONCE_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CortexXdrSettings settings;
    private final ConnectorContext context;
    private final HttpTransport transport;
    private final SecretMask mask;

    private CortexXdrClient(CortexXdrSettings settings, ConnectorContext context, HttpTransport transport,
            String key) {
        this.settings = settings;
        this.context = context;
        this.transport = transport;
        this.mask = SecretMask.of(List.of(key));
    }

    /**
     * A client for the tenant and key of {@code settings}. Resolves the key and the CA reference
     * now, so a missing environment variable or file fails before any request.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION}
     */
    static CortexXdrClient open(CortexXdrSettings settings, ConnectorContext context) {
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        String key = settings.apiKey().reveal();
        HttpSettings.Builder http = HttpSettings.builder(settings.rateLimitKey())
                .maxRequestsPerSecond(settings.maxRequestsPerSecond())
                .requestTimeout(settings.requestTimeout())
                .authenticator(authenticator(key, settings.apiKeyId(), settings.advanced(), context.clock()))
                .sensitiveHeaders(SENSITIVE_HEADERS)
                .transientServerError(XdrErrors::isTransientServerError);
        settings.caCertificatePem().ifPresent(http::caCertificatePem);
        return new CortexXdrClient(settings, context, context.http(http.build()), key);
    }

    /**
     * Fresh authentication headers for every attempt. Standard: {@code Authorization: <key>} and
     * {@code x-xdr-auth-id}. Advanced: a 64-character nonce over {@code [A-Za-z0-9]}, the epoch
     * milliseconds of {@code clock}, and {@code Authorization} = lowercase hex SHA-256 of
     * key + nonce + timestamp.
     */
    static Supplier<Map<String, String>> authenticator(String key, String keyId, boolean advanced, Clock clock) {
        if (!advanced) {
            Map<String, String> headers = Map.of("Authorization", key, "x-xdr-auth-id", keyId);
            return () -> headers;
        }
        return () -> {
            String nonce = nonce();
            String timestamp = Long.toString(clock.millis());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-xdr-auth-id", keyId);
            headers.put("x-xdr-nonce", nonce);
            headers.put("x-xdr-timestamp", timestamp);
            headers.put("Authorization", sha256Hex(key + nonce + timestamp));
            return headers;
        };
    }

    static String nonce() {
        char[] out = new char[64];
        for (int i = 0; i < out.length; i++) {
            out[i] = NONCE_ALPHABET[RANDOM.nextInt(NONCE_ALPHABET.length)];
        }
        return new String(out);
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    CortexXdrSettings settings() {
        return settings;
    }

    ConnectorContext context() {
        return context;
    }

    HttpTransport transport() {
        return transport;
    }

    /** {@code <baseUrl><path>}. */
    URI uri(String path) {
        return URI.create(settings.baseUrl() + path);
    }

    /** The body {@code {"request_data": requestData}} as CortexXdrJson.MAPPER. */
    String body(Object requestData) {
        try {
            return CortexXdrJson.MAPPER.writeValueAsString(Map.of("request_data", requestData));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "Cannot write the request body: " + e.getOriginalMessage(),
                    null, e);
        }
    }

    /** Sends {@code {"request_data": requestData}} to {@code path}; the response whatever its status. */
    Response send(String path, Object requestData) {
        return transport.send(HttpTransport.Request.postJson(uri(path), body(requestData)));
    }

    /** Sends a raw JSON body (e.g. {@code {}} to the key check) to {@code path}. */
    Response sendRaw(String path, String json) {
        return transport.send(HttpTransport.Request.postJson(uri(path), json));
    }

    /** The JSON root of a 2xx {@code response}, or the exception its status and envelope call for. */
    JsonNode parse(String api, Response response) {
        if (!response.isSuccess()) {
            throw redact(XdrErrors.toException(api, response));
        }
        JsonNode root;
        try {
            root = CortexXdrJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw redact(XdrErrors.badResponse(api, response, "JSON"));
        }
        if (root == null || root.isMissingNode()) {
            throw redact(XdrErrors.badResponse(api, response, "JSON"));
        }
        if (XdrErrors.envelope(root).isPresent()) {
            throw redact(XdrErrors.toException(api, response));
        }
        return root;
    }

    /** {@code root.reply} when present, else the root itself (some replies come unwrapped). */
    static JsonNode reply(JsonNode root) {
        return root.has("reply") ? root.get("reply") : root;
    }

    /** One page of {@code get_endpoint}. */
    record EndpointPage(List<Map<String, Object>> endpoints, OptionalLong totalCount) {
    }

    /**
     * {@code get_endpoint} for offsets {@code [from, to)}, sorted by {@code endpoint_id}
     * ascending, with {@code filters} AND-ed.
     */
    EndpointPage getEndpoints(long from, long to, List<Map<String, Object>> filters) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!filters.isEmpty()) {
            data.put("filters", filters);
        }
        data.put("search_from", from);
        data.put("search_to", to);
        Map<String, Object> sort = new LinkedHashMap<>();
        sort.put("field", "endpoint_id");
        sort.put("keyword", "ASC");
        data.put("sort", sort);
        Response response = send(GET_ENDPOINT, data);
        return parseEndpoints(response);
    }

    /**
     * Reads a {@code get_endpoint} reply in any of the shapes seen: {@code {"reply": {"endpoints":
     * [...], "total_count": N}}}, {@code {"reply": [...]}}, {@code {"endpoints": [...]}} or a bare
     * array. Every endpoint must be an object with an {@code endpoint_id}.
     */
    EndpointPage parseEndpoints(Response response) {
        EndpointPage usual = parseUsualEndpoints(response);
        if (usual != null) {
            return usual;
        }
        String api = "get_endpoint";
        JsonNode root = parse(api, response);
        JsonNode reply = reply(root);
        JsonNode list;
        OptionalLong total = OptionalLong.empty();
        if (reply.isArray()) {
            list = reply;
        } else if (reply.isObject() && reply.path("endpoints").isArray()) {
            list = reply.get("endpoints");
            JsonNode t = reply.path("total_count");
            if (t.canConvertToLong() && t.isIntegralNumber() || t.isTextual() && t.asText().matches("\\d{1,18}")) {
                total = OptionalLong.of(t.asLong());
            }
        } else if (reply.isObject() && reply.path("endpoints").isNull()) {
            list = CortexXdrJson.MAPPER.createArrayNode();
        } else {
            throw redact(XdrErrors.badResponse(api, response, "a JSON object with reply.endpoints[]"));
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            JsonNode id = e.path("endpoint_id");
            if (!e.isObject() || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
                throw redact(new ConnectorException(ErrorKind.BAD_RESPONSE,
                        "Cortex XDR answered get_endpoint with endpoint #" + i + " of the page lacking an endpoint_id ("
                                + XdrErrors.describeBody(response) + ")",
                        Remediation.BAD_RESPONSE));
            }
            Map<String, Object> record = CortexXdrJson.MAPPER.convertValue(e, CortexXdrJson.RECORD);
            if (!id.isTextual()) {
                record.put("endpoint_id", id.asText());
            }
            out.add(record);
        }
        return new EndpointPage(out, total);
    }

    /**
     * The usual reply, {@code {"reply": {"total_count": N, "endpoints": [{...}, ...]}}}, parsed
     * in one pass straight into the records (no tree, no second conversion per endpoint); null
     * for any other shape, error envelopes included, which the general path then reads and
     * judges.
     */
    private static EndpointPage parseUsualEndpoints(Response response) {
        if (!response.isSuccess()) {
            return null;
        }
        Map<String, Object> root;
        try {
            root = CortexXdrJson.MAPPER.readValue(response.body(), CortexXdrJson.RECORD);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (root == null || root.containsKey("err_code") || root.containsKey("err_msg")
                || !(root.get("reply") instanceof Map<?, ?> reply)
                || reply.containsKey("err_code") || reply.containsKey("err_msg")
                || !(reply.get("endpoints") instanceof List<?> list)) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> e) || !(e.get("endpoint_id") instanceof String id) || id.isBlank()) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) e;
            out.add(record);
        }
        Object t = reply.get("total_count");
        OptionalLong total = t instanceof Integer || t instanceof Long ? OptionalLong.of(((Number) t).longValue())
                : t instanceof String text && text.matches("\\d{1,18}") ? OptionalLong.of(Long.parseLong(text))
                : OptionalLong.empty();
        return new EndpointPage(out, total);
    }

    /** Never let the key travel in a message, even if a server echoes it. */
    ConnectorException redact(ConnectorException e) {
        String m = e.getMessage();
        String clean = redact(m);
        return clean.equals(m) ? e : new ConnectorException(e.kind(), clean, e.remediation().orElse(null), e.getCause());
    }

    /** {@code text} with every piece of the key (8 characters or more, its hash and base64 forms) masked. */
    String redact(String text) {
        return mask.apply(text);
    }
}
