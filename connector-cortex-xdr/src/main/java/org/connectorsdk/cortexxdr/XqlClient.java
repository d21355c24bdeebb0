package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.connectorsdk.api.CancellationSignal;
import org.connectorsdk.api.ConnectorContext;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.HttpTransport;
import org.connectorsdk.api.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Cortex XDR XQL query: {@code start_xql_query}, then {@code get_query_results} while
 * the query is PENDING, then the rows, either inline (up to 1,000) or from the gzip NDJSON
 * {@code get_query_results_stream}, parsed one row at a time.
 *
 * <p>Waiting is the exception to the SPI's "plugins hold no sleeps" rule: an XQL query is
 * asynchronous on the vendor's side and its result is needed inside one page step, so this
 * class polls with capped exponential backoff. The wait is bounded (a budget measured on the
 * context's clock), checks the run's cancellation signal before and during every pause, and
 * goes through a {@link Pause} so tests run on a fake clock without sleeping.
 *
 * <p>Also retried with backoff (bounded): the tenant's limit of 4 parallel XQL queries. Other
 * vendor errors become {@link ConnectorException}s: a missing licence is
 * {@link ErrorKind#LICENSE}, an exhausted daily quota {@link ErrorKind#BAD_REQUEST}, a query
 * that ends in FAIL {@link ErrorKind#TRANSIENT}, each with the vendor's message.
 */
final class XqlClient {
    private static final Logger LOG = LoggerFactory.getLogger(XqlClient.class);

    static final String START_PATH = "/public_api/v1/xql/start_xql_query";
    static final String RESULTS_PATH = "/public_api/v1/xql/get_query_results";
    static final String STREAM_PATH = "/public_api/v1/xql/get_query_results_stream";

    /** {@code get_query_results} returns at most this many rows inline; more come as a stream. */
    static final int INLINE_LIMIT = 1000;


    private static final Pattern PARALLEL = Pattern.compile("parallel running queries", Pattern.CASE_INSENSITIVE);

    /** Waits between polls; the production pause sleeps in slices and honours cancellation. */
    @FunctionalInterface
    interface Pause {
        /**
         * Waits for {@code duration}.
         *
         * @throws ConnectorException of kind {@link ErrorKind#CANCELLED} when the run is cancelled meanwhile
         */
        void pause(Duration duration);

        /** Sleeps in slices of at most 250 ms so a cancelled run stops waiting promptly. */
        static Pause sleeping(CancellationSignal cancellation) {
            return duration -> {
                long end = System.nanoTime() + duration.toNanos();
                for (long left = duration.toNanos(); left > 0; left = end - System.nanoTime()) {
                    cancellation.throwIfCancelled();
                    try {
                        Thread.sleep(Math.max(1, Math.min(250, left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ConnectorException(ErrorKind.CANCELLED,
                                "Interrupted while waiting for a Cortex XDR XQL query", null, e);
                    }
                }
                cancellation.throwIfCancelled();
            };
        }
    }

    /**
     * Capped exponential backoff within a budget.
     *
     * @param first  the first wait
     * @param max    the longest single wait
     * @param budget the longest total wait
     */
    record Backoff(Duration first, Duration max, Duration budget) {
        Backoff {
            requireNonNull(first, "first is null");
            requireNonNull(max, "max is null");
            requireNonNull(budget, "budget is null");
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || budget.isNegative()) {
                throw new IllegalArgumentException("Invalid backoff " + first + ".." + max + " within " + budget);
            }
        }

        Duration after(Duration previous) {
            Duration doubled = previous.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }

    /** Polling a PENDING query: 1 s doubling to 10 s, for at most 10 minutes. */
    static final Backoff DEFAULT_POLL = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(10));
    /** Waiting for a free slot among the tenant's 4 parallel queries: 5 s doubling to 60 s, at most 5 minutes. */
    static final Backoff DEFAULT_BUSY = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(5));

    /**
     * A finished query.
     *
     * @param queryId         the vendor's query id
     * @param status          SUCCESS or PARTIAL_SUCCESS
     * @param numberOfResults the vendor's row count
     * @param data            the rows, when they came inline
     * @param streamId        the stream to read the rows from, when there are more than 1,000
     * @param remainingQuota  the tenant's remaining XQL quota, when given
     */
    record Result(String queryId, String status, long numberOfResults, Optional<List<Map<String, Object>>> data,
            Optional<String> streamId, OptionalDouble remainingQuota) {
        Result {
            requireNonNull(queryId, "queryId is null");
            requireNonNull(status, "status is null");
            data = requireNonNull(data, "data is null").map(List::copyOf);
            requireNonNull(streamId, "streamId is null");
            requireNonNull(remainingQuota, "remainingQuota is null");
        }

        boolean partial() {
            return "PARTIAL_SUCCESS".equals(status);
        }

        /** True when the rows came inline but fewer than the vendor counted, with no stream for the rest. */
        boolean truncated() {
            return data.isPresent() && numberOfResults > data.get().size();
        }
    }

    /** Rows read one at a time; closing releases the stream, if any. */
    interface Rows extends Iterator<Map<String, Object>>, AutoCloseable {
        @Override
        void close();
    }

    private final HttpTransport http;
    private final URI baseUrl;
    private final Clock clock;
    private final CancellationSignal cancellation;
    private final Metrics metrics;
    private final Pause pause;
    private final Backoff poll;
    private final Backoff busy;
    /** Masks the API key should a server echo it into an error we pass on. */
    private final UnaryOperator<ConnectorException> redact;

    /**
     * The XQL calls of {@code client}'s tenant and key, over its transport, polling with the
     * default backoffs and really sleeping between polls; messages pass the client's redaction.
     */
    XqlClient(CortexXdrClient client) {
        this(client.transport(), URI.create(client.settings().baseUrl()), client.context(), client::redact);
    }

    private XqlClient(HttpTransport http, URI baseUrl, ConnectorContext context,
            UnaryOperator<ConnectorException> redact) {
        this(http, baseUrl, context.clock(), context.cancellation(), context.metrics(),
                Pause.sleeping(context.cancellation()), DEFAULT_POLL, DEFAULT_BUSY, redact);
    }

    XqlClient(HttpTransport http, URI baseUrl, Clock clock, CancellationSignal cancellation, Metrics metrics,
            Pause pause, Backoff poll, Backoff busy) {
        this(http, baseUrl, clock, cancellation, metrics, pause, poll, busy, UnaryOperator.identity());
    }

    private XqlClient(HttpTransport http, URI baseUrl, Clock clock, CancellationSignal cancellation, Metrics metrics,
            Pause pause, Backoff poll, Backoff busy, UnaryOperator<ConnectorException> redact) {
        this.redact = requireNonNull(redact, "redact is null");
        this.http = requireNonNull(http, "http is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.cancellation = requireNonNull(cancellation, "cancellation is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.pause = requireNonNull(pause, "pause is null");
        this.poll = requireNonNull(poll, "poll is null");
        this.busy = requireNonNull(busy, "busy is null");
    }

    /** Starts {@code query}, waits for it and opens its rows. The caller closes the rows. */
    Rows run(String query, Duration relativeTime) {
        String id = start(query, relativeTime);
        Result result = await(id);
        return rows(result);
    }

    /**
     * Starts a query over the last {@code relativeTime}, waiting for a free slot while the
     * tenant already runs its 4 parallel queries.
     *
     * @return the vendor's query id
     */
    String start(String query, Duration relativeTime) {
        try {
            return startQuery(query, relativeTime);
        } catch (ConnectorException e) {
            throw redact.apply(e);
        }
    }

    private String startQuery(String query, Duration relativeTime) {
        ObjectNode body = CortexXdrJson.MAPPER.createObjectNode();
        ObjectNode data = body.putObject("request_data");
        data.put("query", query);
        data.putArray("tenants");
        data.putObject("timeframe").put("relativeTime", relativeTime.toMillis());

        Instant begin = clock.instant();
        Instant deadline = begin.plus(busy.budget());
        Duration wait = busy.first();
        for (int attempt = 1; ; attempt++) {
            cancellation.throwIfCancelled();
            HttpTransport.Response response = post(START_PATH, body);
            if (response.isSuccess() && !isErrorEnvelope(response)) {
                JsonNode reply = parse(response, START_PATH).path("reply");
                if (!reply.isTextual() || reply.asText().isBlank()) {
                    throw badResponse(START_PATH, "no query id in 'reply'", response);
                }
                metrics.count("xql.queries", 1);
                LOG.debug("XQL query {} started", reply.asText());
                return reply.asText();
            }
            String refusal = XdrErrors.vendorWords(response.body());
            if (!PARALLEL.matcher(refusal).find()) {
                throw XdrErrors.xqlRefusal(START_PATH, response.status(), response.body());
            }
            Instant now = clock.instant();
            if (!now.plus(wait).isBefore(deadline.plusMillis(1))) {
                throw new ConnectorException(ErrorKind.RATE_LIMITED,
                        "Cortex XDR kept refusing to start the XQL query for " + format(Duration.between(begin, now))
                                + " (" + attempt + " attempts) because the tenant already runs its maximum of"
                                + " parallel XQL queries: " + refusal,
                        "Other integrations or users run XQL queries on this tenant at the same time (at most 4"
                                + " may run at once); schedule this sync when the tenant is quieter, then run it again");
            }
            LOG.info("Cortex XDR runs its maximum of parallel XQL queries; starting the query again in {}",
                    format(wait));
            pause.pause(wait);
            wait = busy.after(wait);
        }
    }

    /** Polls {@code get_query_results} until the query leaves PENDING. */
    Result await(String queryId) {
        try {
            return poll(queryId);
        } catch (ConnectorException e) {
            throw redact.apply(e);
        }
    }

    private Result poll(String queryId) {
        ObjectNode body = CortexXdrJson.MAPPER.createObjectNode();
        ObjectNode data = body.putObject("request_data");
        data.put("query_id", queryId);
        data.put("pending_flag", true);
        data.put("limit", INLINE_LIMIT);
        data.put("format", "json");

        Instant deadline = clock.instant().plus(poll.budget());
        Duration wait = poll.first();
        for (int polls = 1; ; polls++) {
            cancellation.throwIfCancelled();
            HttpTransport.Response response = post(RESULTS_PATH, body);
            if (!response.isSuccess() || isErrorEnvelope(response)) {
                throw XdrErrors.xqlRefusal(RESULTS_PATH, response.status(), response.body());
            }
            JsonNode reply = parse(response, RESULTS_PATH).path("reply");
            String status = reply.path("status").asText("");
            switch (status) {
                case "SUCCESS", "PARTIAL_SUCCESS" -> {
                    return result(queryId, status, reply, response);
                }
                case "FAIL", "FAILED" -> throw new ConnectorException(ErrorKind.TRANSIENT,
                        "The Cortex XDR XQL query " + queryId + " ended with status " + status + ": "
                                + failureMessage(reply),
                        "The query failed inside Cortex XDR; the next sync runs it again. If it keeps failing,"
                                + " run the same query in the tenant's XQL search to see the error");
                case "PENDING" -> {
                    Instant now = clock.instant();
                    if (!now.isBefore(deadline)) {
                        throw new ConnectorException(ErrorKind.TRANSIENT,
                                "The Cortex XDR XQL query " + queryId + " was still PENDING after "
                                        + format(poll.budget()) + " (" + polls + " polls)",
                                "Cortex XDR is slow to answer XQL queries right now; the next sync tries again");
                    }
                    Duration step = Duration.between(now, deadline).compareTo(wait) < 0
                            ? Duration.between(now, deadline) : wait;
                    LOG.debug("XQL query {} is PENDING; polling again in {}", queryId, format(step));
                    pause.pause(step);
                    wait = poll.after(wait);
                }
                default -> throw badResponse(RESULTS_PATH, "unknown query status '" + status + "'", response);
            }
        }
    }

    /** The rows of a finished query: inline, or streamed and parsed one row at a time. */
    Rows rows(Result result) {
        try {
            return openRows(result);
        } catch (ConnectorException e) {
            throw redact.apply(e);
        }
    }

    private Rows openRows(Result result) {
        if (result.data().isPresent()) {
            return new ListRows(result.data().get());
        }
        String streamId = result.streamId().orElseThrow();
        ObjectNode body = CortexXdrJson.MAPPER.createObjectNode();
        ObjectNode data = body.putObject("request_data");
        data.put("stream_id", streamId);
        data.put("is_gzip_compressed", true);
        HttpTransport.StreamingResponse response = http.open(request(STREAM_PATH, body));
        boolean handedOver = false;
        try {
            if (response.status() < 200 || response.status() >= 300) {
                byte[] head = readAtMost(response.body(), 64 * 1024);
                throw XdrErrors.xqlRefusal(STREAM_PATH, response.status(), head);
            }
            StreamRows rows = new StreamRows(response, result.queryId(), redact);
            handedOver = true;
            return rows;
        } finally {
            if (!handedOver) {
                response.close();
            }
        }
    }

    private Result result(String queryId, String status, JsonNode reply, HttpTransport.Response response) {
        JsonNode results = reply.path("results");
        long count = reply.path("number_of_results").asLong(-1);
        OptionalDouble quota = reply.path("remaining_quota").isNumber()
                ? OptionalDouble.of(reply.path("remaining_quota").asDouble()) : OptionalDouble.empty();
        String streamId = results.path("stream_id").asText("");
        if (!streamId.isBlank()) {
            return new Result(queryId, status, count, Optional.empty(), Optional.of(streamId), quota);
        }
        JsonNode data = results.path("data");
        if (!data.isArray()) {
            throw badResponse(RESULTS_PATH, "neither 'results.data' nor 'results.stream_id' in a " + status
                    + " reply", response);
        }
        List<Map<String, Object>> rows = new ArrayList<>(data.size());
        for (JsonNode row : data) {
            if (!row.isObject()) {
                throw badResponse(RESULTS_PATH, "a row of 'results.data' is not an object", response);
            }
            rows.add(CortexXdrJson.MAPPER.convertValue(row, CortexXdrJson.RECORD));
        }
        if (count > rows.size()) {
            // More rows than came inline and no stream to read the rest from: say so rather than
            // let endpoints silently lose findings.
            LOG.warn("cortex-xdr: XQL query {} reports {} rows but returned {} and no result stream; the rest"
                    + " are missing from this run", queryId, count, rows.size());
        }
        return new Result(queryId, status, count < 0 ? rows.size() : count, Optional.of(rows), Optional.empty(),
                quota);
    }

    private static String failureMessage(JsonNode reply) {
        for (String field : List.of("error", "err_msg", "message", "err_extra")) {
            JsonNode node = reply.path(field);
            if (!node.isMissingNode() && !node.isNull()) {
                return XdrErrors.truncate(node.isTextual() ? node.asText() : node.toString());
            }
        }
        JsonNode nested = reply.path("results").path("error");
        if (!nested.isMissingNode() && !nested.isNull()) {
            return XdrErrors.truncate(nested.isTextual() ? nested.asText() : nested.toString());
        }
        return "Cortex XDR gave no reason";
    }

    private HttpTransport.Response post(String path, ObjectNode body) {
        return http.send(request(path, body));
    }

    private HttpTransport.Request request(String path, ObjectNode body) {
        String base = baseUrl.toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        try {
            return HttpTransport.Request.postJson(uri, CortexXdrJson.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an XQL request body", e);
        }
    }

    private static JsonNode parse(HttpTransport.Response response, String path) {
        try {
            return CortexXdrJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw badResponse(path, "the body is not JSON", response);
        }
    }

    private static boolean isErrorEnvelope(HttpTransport.Response response) {
        try {
            JsonNode root = CortexXdrJson.MAPPER.readTree(response.body());
            return root != null && (root.has("err_code") || root.path("reply").has("err_code"));
        } catch (IOException e) {
            return false;
        }
    }

    private static ConnectorException badResponse(String path, String what, HttpTransport.Response response) {
        return new ConnectorException(ErrorKind.BAD_RESPONSE,
                "Cortex XDR answered " + path + " with HTTP " + response.status() + " but " + what + ": "
                        + XdrErrors.truncate(response.bodyText()),
                "The tenant's XQL API did not answer as documented; try again later, and report it if it persists");
    }

    static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static byte[] readAtMost(InputStream in, int limit) {
        try (in) {
            return in.readNBytes(limit);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static final class ListRows implements Rows {
        private final Iterator<Map<String, Object>> rows;

        ListRows(List<Map<String, Object>> rows) {
            this.rows = rows.iterator();
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Map<String, Object> next() {
            return rows.next();
        }

        @Override
        public void close() {
        }
    }

    /**
     * Rows parsed from the NDJSON stream as they arrive: only the row being read is in memory.
     * The body is un-gzipped here unless the transport already did it (told by the gzip magic
     * bytes). A JSON array of rows is accepted too.
     */
    private static final class StreamRows implements Rows {
        private final HttpTransport.StreamingResponse response;
        private final String queryId;
        private final UnaryOperator<ConnectorException> redact;
        private final JsonParser parser;
        private boolean inArray;
        private Map<String, Object> next;
        private boolean finished;
        private long read;

        StreamRows(HttpTransport.StreamingResponse response, String queryId,
                UnaryOperator<ConnectorException> redact) {
            this.response = response;
            this.queryId = queryId;
            this.redact = redact;
            try {
                InputStream in = new BufferedInputStream(response.body(), 64 * 1024);
                in.mark(2);
                int b1 = in.read();
                int b2 = in.read();
                in.reset();
                if (b1 == 0x1f && b2 == 0x8b) {
                    in = new GZIPInputStream(in, 64 * 1024);
                }
                this.parser = CortexXdrJson.MAPPER.getFactory().createParser(in);
            } catch (IOException e) {
                throw broken(e);
            }
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            try {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.START_ARRAY && !inArray && read == 0) {
                    inArray = true;
                    token = parser.nextToken();
                }
                if (token == null || (inArray && token == JsonToken.END_ARRAY)) {
                    finished = true;
                    return false;
                }
                if (token != JsonToken.START_OBJECT) {
                    throw redact.apply(new ConnectorException(ErrorKind.BAD_RESPONSE,
                            "The XQL results stream of query " + queryId + " holds a " + token
                                    + " where row " + (read + 1) + " should be a JSON object",
                            "The tenant's XQL API did not answer as documented; report it if it persists"));
                }
                next = CortexXdrJson.MAPPER.readValue(parser, CortexXdrJson.RECORD);
                read++;
                return true;
            } catch (IOException e) {
                throw redact.apply(broken(e));
            }
        }

        @Override
        public Map<String, Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map<String, Object> row = next;
            next = null;
            return row;
        }

        private ConnectorException broken(IOException e) {
            boolean cutShort = e instanceof EOFException || e instanceof JsonEOFException
                    || !(e instanceof JsonProcessingException);
            return new ConnectorException(cutShort ? ErrorKind.TRANSIENT : ErrorKind.BAD_RESPONSE,
                    "The XQL results stream of query " + queryId + " broke off after " + read + " rows: "
                            + XdrErrors.truncate(String.valueOf(e.getMessage())),
                    cutShort ? "The connection to Cortex XDR was interrupted; the next sync tries again"
                            : "The tenant's XQL API did not answer as documented; report it if it persists",
                    e);
        }

        @Override
        public void close() {
            try {
                parser.close();
            } catch (IOException e) {
                LOG.debug("Closing the XQL results stream of query {} failed", queryId, e);
            } finally {
                response.close();
            }
        }
    }
}
