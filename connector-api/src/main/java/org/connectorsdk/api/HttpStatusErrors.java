package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;

/**
 * Turns a vendor's HTTP error statuses into {@link ConnectorException}s with the standard
 * {@link ErrorKind} and a remediation, which a plugin replaces per kind with the text its
 * vendor's admins need:
 *
 * <pre>{@code
 * static final HttpStatusErrors ERRORS = HttpStatusErrors.of("Acme")
 *         .remediation(ErrorKind.AUTHENTICATION, "Create an API token under Settings > API and update apiToken");
 * }</pre>
 *
 * <p>Messages name the vendor, the status and the request's method, host and path; never its
 * query, headers or body, which may carry credentials.
 *
 * @param vendor       the vendor or product as a user knows it, e.g. "Acme Scanner"
 * @param remediations the plugin's remediation text by kind; the standard text otherwise
 */
public record HttpStatusErrors(String vendor, Map<ErrorKind, String> remediations) {
    public HttpStatusErrors {
        requireNonNull(vendor, "vendor is null");
        remediations = Map.copyOf(requireNonNull(remediations, "remediations is null"));
    }

    /** The standard classification and remediation texts for {@code vendor}. */
    public static HttpStatusErrors of(String vendor) {
        return new HttpStatusErrors(vendor, Map.of());
    }

    /** A copy that gives {@code text} as the remediation of errors of {@code kind}. */
    public HttpStatusErrors remediation(ErrorKind kind, String text) {
        Map<ErrorKind, String> copy = new EnumMap<>(ErrorKind.class);
        copy.putAll(remediations);
        copy.put(requireNonNull(kind, "kind is null"), requireNonNull(text, "text is null"));
        return new HttpStatusErrors(vendor, copy);
    }

    /**
     * The kind of an HTTP error status: 401 {@link ErrorKind#AUTHENTICATION}, 402
     * {@link ErrorKind#LICENSE}, 403 {@link ErrorKind#AUTHORIZATION}, 429
     * {@link ErrorKind#RATE_LIMITED}, 5xx {@link ErrorKind#TRANSIENT}, any other 4xx
     * {@link ErrorKind#BAD_REQUEST}, anything else (1xx, 3xx) {@link ErrorKind#BAD_RESPONSE}.
     */
    public static ErrorKind kindOf(int status) {
        return switch (status) {
            case 401 -> ErrorKind.AUTHENTICATION;
            case 402 -> ErrorKind.LICENSE;
            case 403 -> ErrorKind.AUTHORIZATION;
            case 429 -> ErrorKind.RATE_LIMITED;
            default -> status >= 500 && status < 600 ? ErrorKind.TRANSIENT
                    : status >= 400 && status < 500 ? ErrorKind.BAD_REQUEST : ErrorKind.BAD_RESPONSE;
        };
    }

    /** {@code response} when its status is 2xx; otherwise throws {@link #exception}. */
    public HttpTransport.Response requireSuccess(HttpTransport.Request request, HttpTransport.Response response) {
        if (response.isSuccess()) {
            return response;
        }
        throw exception(request, response.status());
    }

    /** The exception for an answer of {@code status} to {@code request}. */
    public ConnectorException exception(HttpTransport.Request request, int status) {
        ErrorKind kind = kindOf(status);
        return new ConnectorException(kind, vendor + " answered HTTP " + status + " (" + what(kind) + ") to "
                + request.describe(), remediations.getOrDefault(kind, standardRemediation(kind)));
    }

    private static String what(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "the credentials were rejected";
            case LICENSE -> "the licence does not cover this API";
            case AUTHORIZATION -> "the credentials lack a permission";
            case RATE_LIMITED -> "rate limited past the retry budget";
            case TRANSIENT -> "a server error that outlived the retries";
            case BAD_REQUEST -> "the request was refused";
            default -> "not an answer the API documents";
        };
    }

    private String standardRemediation(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "Check the credentials in the instance's config; create new ones in " + vendor
                    + " if they expired or were revoked";
            case LICENSE -> "Ask the " + vendor + " administrator to enable API access for this licence";
            case AUTHORIZATION -> "Give the credentials' user or role read access to the data the instance syncs";
            case RATE_LIMITED -> "Lower the instance's request rate or sync less often; the limit is shared by every"
                    + " instance of this tenant";
            case TRANSIENT -> "Check " + vendor + "'s status page and retry later";
            case BAD_REQUEST -> "Check the instance's config (base URL, filters) against " + vendor
                    + "'s API documentation";
            default -> "Check that the base URL points at " + vendor + "'s API, not a web page or proxy";
        };
    }
}
