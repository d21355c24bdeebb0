package org.connectorsdk.testkit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.recording.RecordSpecBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Record mode: a WireMock proxy in front of a live tenant that captures every exchange as a stub
 * mapping, scrubs credentials and writes the stubs to a directory that
 * {@link FixtureServer#loadRecorded(Path)} replays.
 *
 * <pre>{@code
 * try (FixtureRecorder recorder = FixtureRecorder.recording("https://api-acme.example.com")
 *         .into(Path.of("src/test/resources/fixtures/acme"))
 *         .scrubbing(System.getenv("ACME_API_TOKEN"))
 *         .start()) {
 *     ConnectorTestKit.connector("acme").config(config).baseUrl(recorder.baseUrl())
 *             .trust(recorder.trustPem()).sync();
 * } // stubs are written, scrubbed, when the recorder closes
 * }</pre>
 *
 * <p>Scrubbing: request headers are not captured at all (so {@code Authorization} and
 * {@code x-*-auth-*} headers never reach a file); response headers that carry credentials or
 * session state ({@code Set-Cookie}, {@code Authorization}, anything with "token", "auth", "key"
 * or "session" in its name) are dropped; every occurrence of a given secret anywhere in a stub
 * (URL, request body pattern, response body) is replaced by {@value #SCRUBBED}. JSON request
 * bodies are matched strictly (no extra elements, array order kept). Bodies are
 * written inline so there is no side file to forget. A target on {@code 127.0.0.1} or
 * {@code localhost} (a simulator) is trusted whatever its certificate; any other target must
 * present one the JDK trusts. A binary (non-text) body cannot be scrubbed
 * textually; recording such a body is refused while secrets are set.
 */
public final class FixtureRecorder implements AutoCloseable {
    /** What a scrubbed secret reads as in a recorded stub. */
    public static final String SCRUBBED = "[scrubbed]";

    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("set-cookie", "authorization",
            "proxy-authorization", "cookie", "content-length", "transfer-encoding", "content-encoding", "date",
            "www-authenticate", "matched-stub-id", "matched-stub-name");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String target;
    private final Path dir;
    private final List<String> secrets;
    private final WireMockServer server;
    private List<Path> written;

    private FixtureRecorder(String target, Path dir, List<String> secrets) {
        this.target = target;
        this.dir = dir;
        this.secrets = secrets;
        // a loopback target (a simulator, a local fake) is test infrastructure with its own CA;
        // any other target must present a certificate the JDK trusts
        this.server = new WireMockServer(loopback(target)
                ? FixtureServer.httpsOptions().trustedProxyTargets("127.0.0.1", "localhost")
                : FixtureServer.httpsOptions());
    }

    private static boolean loopback(String target) {
        String host = java.net.URI.create(target).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host);
    }

    /** Starts describing a recording of the live tenant at {@code targetBaseUrl}. */
    public static Builder recording(String targetBaseUrl) {
        return new Builder(targetBaseUrl);
    }

    /** Where a connector under recording sends its requests: {@code https://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** The PEM certificate to trust for {@link #baseUrl()} (the testkit's test-only CA). */
    public String trustPem() {
        return FixtureServer.caPem();
    }

    /**
     * Stops recording and writes the scrubbed stubs; returns the files written. Calling it again
     * returns the same files.
     */
    public synchronized List<Path> stop() {
        if (written != null) {
            return written;
        }
        try {
            // WireMock lists the newest exchange first; files are numbered in request order
            List<StubMapping> stubs = new ArrayList<>(server.stopRecording().getStubMappings());
            java.util.Collections.reverse(stubs);
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            int n = 0;
            for (StubMapping stub : stubs) {
                String json = scrub(Json.write(stub));
                Path file = dir.resolve(String.format(Locale.ROOT, "%03d-%s.json", ++n, slug(stub)));
                Files.writeString(file, json, StandardCharsets.UTF_8);
                files.add(file);
            }
            written = List.copyOf(files);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write recorded fixtures to " + dir, e);
        } finally {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    String scrub(String stubJson) throws IOException {
        JsonNode root = JSON.readTree(stubJson);
        if (root instanceof ObjectNode stub) {
            if (stub.path("request") instanceof ObjectNode request) {
                request.remove("headers");
            }
            if (stub.path("response") instanceof ObjectNode response) {
                if (!secrets.isEmpty() && response.has("base64Body")) {
                    throw new IllegalStateException("Refusing to record a binary response body of "
                            + stub.path("request").path("url").asText(stub.path("request").path("urlPath").asText())
                            + " from " + target + ": secrets cannot be scrubbed from it");
                }
                if (response.path("headers") instanceof ObjectNode headers) {
                    List<String> drop = new ArrayList<>();
                    for (Iterator<String> it = headers.fieldNames(); it.hasNext(); ) {
                        String name = it.next();
                        if (sensitiveHeader(name)) {
                            drop.add(name);
                        }
                    }
                    headers.remove(drop);
                }
            }
            stub.remove("persistent");
        }
        String text = JSON.writeValueAsString(root);
        for (String secret : secrets) {
            text = text.replace(secret, SCRUBBED);
            String escaped = JSON.writeValueAsString(secret);
            text = text.replace(escaped.substring(1, escaped.length() - 1), SCRUBBED);
        }
        return text + System.lineSeparator();
    }

    static boolean sensitiveHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return DROPPED_RESPONSE_HEADERS.contains(n) || n.contains("token") || n.contains("auth")
                || n.contains("key") || n.contains("session") || n.contains("cookie") || n.contains("nonce");
    }

    private static String slug(StubMapping stub) {
        String method = String.valueOf(stub.getRequest().getMethod()).toLowerCase(Locale.ROOT);
        String url = stub.getRequest().getUrl() != null ? stub.getRequest().getUrl()
                : String.valueOf(stub.getRequest().getUrlPath());
        int query = url.indexOf('?');
        String path = (query >= 0 ? url.substring(0, query) : url).replaceAll("[^A-Za-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        return method + (path.isEmpty() ? "" : "-" + (path.length() > 60 ? path.substring(0, 60) : path));
    }

    /** Describes a recording before it starts. */
    public static final class Builder {
        private final String target;
        private Path dir;
        private final Set<String> secrets = new LinkedHashSet<>();
        private boolean repeatsAsScenarios;

        private Builder(String target) {
            this.target = requireNonNull(target, "target is null");
        }

        /** The directory the stubs are written to (created if missing). */
        public Builder into(Path dir) {
            this.dir = requireNonNull(dir, "dir is null");
            return this;
        }

        /** Secret values (API keys, tokens, passwords) to replace wherever they appear. */
        public Builder scrubbing(String... values) {
            for (String value : values) {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException("A secret to scrub must not be null or blank");
                }
                secrets.add(value);
            }
            return this;
        }

        /**
         * Records a request that repeats with the answers in order (a WireMock scenario), for
         * polling flows whose answers change (PENDING, then SUCCESS). By default only the first
         * exchange of identical requests is kept, so a replay answers it the same every time.
         */
        public Builder repeatsAsScenarios() {
            this.repeatsAsScenarios = true;
            return this;
        }

        /** Starts the proxy; send the connector to {@link FixtureRecorder#baseUrl()}. */
        public FixtureRecorder start() {
            if (dir == null) {
                throw new IllegalStateException("Say where the fixtures go with into(dir) before start()");
            }
            FixtureRecorder recorder = new FixtureRecorder(target, dir, List.copyOf(secrets));
            recorder.server.start();
            RecordSpecBuilder spec = new RecordSpecBuilder();
            if (!repeatsAsScenarios) {
                spec.ignoreRepeatRequests();
            }
            recorder.server.startRecording(spec
                    .forTarget(target)
                    .makeStubsPersistent(false)
                    .extractTextBodiesOver(Long.MAX_VALUE)
                    .extractBinaryBodiesOver(Long.MAX_VALUE)
                    // strict: a body with an extra or reordered element is another request
                    .chooseBodyMatchTypeAutomatically(false, false, false));
            return recorder;
        }
    }
}
