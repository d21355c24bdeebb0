package org.connectorsdk.cortexxdr;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.connectorsdk.api.ConnectorConfig;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Secret;

/**
 * The typed view of a Cortex XDR instance's config, checked beyond what {@link
 * org.connectorsdk.api.ConfigSpec} can say (instants, group names), before any request is sent.
 *
 * @param baseUrl              the tenant's API URL, without a trailing slash
 * @param apiKey               the key (inline or a reference, resolved at use)
 * @param apiKeyId             the numeric key id
 * @param advanced             whether the key is an advanced-security key
 * @param dataToSync           {@code assets-and-findings}, {@code assets} or {@code none}
 * @param events               selected event streams ({@code incidents}, {@code alerts})
 * @param batchSize            records per {@code get_endpoint} request, 1..100
 * @param maxRequestsPerSecond the tenant's request budget shared by all streams and checks
 * @param caCertificate        an extra trusted CA as given (PEM, {@code file:} or {@code env:})
 * @param platforms            platform filter values, empty for all
 * @param statuses             endpoint status filter values, empty for all
 * @param groups               endpoint group names, empty for all
 * @param lastSeenAfter        only endpoints last seen at or after this instant
 * @param lastSeenBefore       only endpoints last seen at or before this instant
 * @param failWithoutVulnerabilities whether a tenant without vulnerability data fails the run
 *                             ({@code vulnerabilitiesUnavailable = fail}) or gives assets only
 * @param requestTimeout       how long one request attempt may take, {@link #MIN_REQUEST_TIMEOUT}
 *                             to {@link #MAX_REQUEST_TIMEOUT}
 * @param software             whether the software stream (installed applications) is selected
 * @param vulnerabilityMaxAge  how old an endpoint's latest vulnerability assessment may be before
 *                             its CVEs count as unknown ("stale"), {@link #MIN_VULNERABILITY_MAX_AGE}
 *                             to {@link #MAX_VULNERABILITY_MAX_AGE}
 */
record CortexXdrSettings(
        String baseUrl,
        Secret apiKey,
        String apiKeyId,
        boolean advanced,
        String dataToSync,
        List<String> events,
        int batchSize,
        int maxRequestsPerSecond,
        Optional<String> caCertificate,
        List<String> platforms,
        List<String> statuses,
        List<String> groups,
        Optional<Instant> lastSeenAfter,
        Optional<Instant> lastSeenBefore,
        boolean failWithoutVulnerabilities,
        Duration requestTimeout,
        boolean software,
        Duration vulnerabilityMaxAge) {
    /** The transport's default, kept when {@code requestTimeout} is not set. */
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_VULNERABILITY_MAX_AGE = Duration.ofDays(7);
    static final Duration MIN_VULNERABILITY_MAX_AGE = Duration.ofHours(1);
    // The query looks back twice this far (VulnerabilityEnricher.timeframe), and every day of it costs quota.
    static final Duration MAX_VULNERABILITY_MAX_AGE = Duration.ofDays(90);

    CortexXdrSettings {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(apiKeyId, "apiKeyId is null");
        events = List.copyOf(events);
        platforms = List.copyOf(platforms);
        statuses = List.copyOf(statuses);
        groups = List.copyOf(groups);
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(vulnerabilityMaxAge, "vulnerabilityMaxAge is null");
    }

    /** Settings with the default request timeout. */
    CortexXdrSettings(String baseUrl, Secret apiKey, String apiKeyId, boolean advanced, String dataToSync,
            List<String> events, int batchSize, int maxRequestsPerSecond, Optional<String> caCertificate,
            List<String> platforms, List<String> statuses, List<String> groups, Optional<Instant> lastSeenAfter,
            Optional<Instant> lastSeenBefore, boolean failWithoutVulnerabilities) {
        this(baseUrl, apiKey, apiKeyId, advanced, dataToSync, events, batchSize, maxRequestsPerSecond, caCertificate,
                platforms, statuses, groups, lastSeenAfter, lastSeenBefore, failWithoutVulnerabilities,
                DEFAULT_REQUEST_TIMEOUT, false, DEFAULT_VULNERABILITY_MAX_AGE);
    }

    /**
     * Reads {@code config} (already bound by the connector's spec).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the field
     */
    static CortexXdrSettings from(ConnectorConfig config) {
        String baseUrl = config.string(CortexXdrConnector.BASE_URL);
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        Optional<Instant> after = instant(config, CortexXdrConnector.LAST_SEEN_AFTER);
        Optional<Instant> before = instant(config, CortexXdrConnector.LAST_SEEN_BEFORE);
        if (after.isPresent() && before.isPresent() && before.get().isBefore(after.get())) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Config field '" + CortexXdrConnector.LAST_SEEN_BEFORE + "' (" + before.get()
                            + ") is earlier than '" + CortexXdrConnector.LAST_SEEN_AFTER + "' (" + after.get() + ")",
                    "Set '" + CortexXdrConnector.LAST_SEEN_BEFORE + "' to an instant after '"
                            + CortexXdrConnector.LAST_SEEN_AFTER + "', or leave one of them out");
        }
        return new CortexXdrSettings(
                baseUrl,
                config.secret(CortexXdrConnector.API_KEY),
                config.string(CortexXdrConnector.API_KEY_ID),
                "advanced".equals(config.optionalString(CortexXdrConnector.SECURITY_LEVEL).orElse("standard")),
                config.optionalString(CortexXdrConnector.DATA_TO_SYNC).orElse(CortexXdrConnector.ASSETS_AND_FINDINGS),
                config.stringList(CortexXdrConnector.EVENTS),
                (int) config.optionalInteger(CortexXdrConnector.BATCH_SIZE).orElse(100L).longValue(),
                (int) config.optionalInteger(CortexXdrConnector.MAX_REQUESTS_PER_SECOND).orElse(5L).longValue(),
                config.optionalString(CortexXdrConnector.CA_CERTIFICATE),
                config.stringList(CortexXdrConnector.PLATFORM_FILTER),
                config.stringList(CortexXdrConnector.STATUS_FILTER),
                groups(config.optionalString(CortexXdrConnector.GROUP_FILTER).orElse("")),
                after,
                before,
                !"assets-only".equals(config.optionalString(CortexXdrConnector.VULNERABILITIES_UNAVAILABLE)
                        .orElse("fail")),
                requestTimeout(config),
                config.bool(CortexXdrConnector.SOFTWARE_FIELD),
                vulnerabilityMaxAge(config));
    }

    /** The base URL as a URI. */
    URI baseUri() {
        return URI.create(baseUrl);
    }

    /** The key that makes every transport of this tenant and key share one request budget. */
    String rateLimitKey() {
        return baseUrl + "#" + apiKeyId;
    }

    /** Whether the assets stream is selected. */
    boolean syncsAssets() {
        return !"none".equals(dataToSync);
    }

    /** Whether vulnerabilities are attached to the assets. */
    boolean syncsFindings() {
        return CortexXdrConnector.ASSETS_AND_FINDINGS.equals(dataToSync);
    }

    /** Whether installed software (the software stream) is synced. */
    boolean syncsSoftware() {
        return software;
    }

    /** The configured CA certificate's PEM, resolving a {@code file:} or {@code env:} reference. */
    Optional<String> caCertificatePem() {
        return caCertificate.map(raw -> Secret.resolveReference(CortexXdrConnector.CA_CERTIFICATE, raw));
    }

    private static List<String> groups(String raw) {
        List<String> out = new ArrayList<>();
        Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        if (out.isEmpty() && !raw.isBlank()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Config field '" + CortexXdrConnector.GROUP_FILTER + "' names no group: '" + raw + "'",
                    "Give endpoint group names separated by commas, e.g. 'Servers, Finance laptops'");
        }
        return out;
    }

    // The spec checks only that a duration is positive; the bounds are the plugin's.
    private static Duration requestTimeout(ConnectorConfig config) {
        Duration timeout = config.duration(CortexXdrConnector.REQUEST_TIMEOUT).orElse(DEFAULT_REQUEST_TIMEOUT);
        if (timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0 || timeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Config field '" + CortexXdrConnector.REQUEST_TIMEOUT + "' must be between "
                            + MIN_REQUEST_TIMEOUT + " and " + MAX_REQUEST_TIMEOUT + ", got " + timeout,
                    "Set '" + CortexXdrConnector.REQUEST_TIMEOUT + "' to an ISO-8601 duration from "
                            + MIN_REQUEST_TIMEOUT + " to " + MAX_REQUEST_TIMEOUT + ", e.g. PT30S, or leave it out"
                            + " for " + DEFAULT_REQUEST_TIMEOUT);
        }
        return timeout;
    }

    private static Duration vulnerabilityMaxAge(ConnectorConfig config) {
        String field = CortexXdrConnector.VULNERABILITY_MAX_AGE;
        Duration maxAge = config.duration(field).orElse(DEFAULT_VULNERABILITY_MAX_AGE);
        if (maxAge.compareTo(MIN_VULNERABILITY_MAX_AGE) < 0 || maxAge.compareTo(MAX_VULNERABILITY_MAX_AGE) > 0) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Config field '" + field + "' must be between " + MIN_VULNERABILITY_MAX_AGE + " and "
                            + MAX_VULNERABILITY_MAX_AGE + ", got " + maxAge,
                    "Set '" + field + "' to an ISO-8601 duration from " + MIN_VULNERABILITY_MAX_AGE + " to "
                            + MAX_VULNERABILITY_MAX_AGE + " (how old an endpoint's latest vulnerability assessment"
                            + " may be), e.g. P14D, or leave it out for " + DEFAULT_VULNERABILITY_MAX_AGE);
        }
        return maxAge;
    }

    private static Optional<Instant> instant(ConnectorConfig config, String field) {
        Optional<String> raw = config.optionalString(field);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(raw.get().strip()).toInstant());
        } catch (DateTimeParseException e) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Config field '" + field + "' is not an ISO-8601 instant: '" + raw.get() + "'",
                    "Write '" + field + "' as an ISO-8601 instant with a zone, e.g. 2026-05-01T00:00:00Z");
        }
    }
}
