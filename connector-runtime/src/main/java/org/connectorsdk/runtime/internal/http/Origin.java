package org.connectorsdk.runtime.internal.http;

import java.net.URI;
import java.util.Locale;

/**
 * Where a tenant's budget is kept: scheme, lower-case host and effective port of a URI, so
 * {@code https://API.example.com} and {@code https://api.example.com:443/public_api} are one tenant.
 */
record Origin(String scheme, String host, int port) {

    /**
     * The origin of an absolute URI with a host.
     *
     * @throws IllegalArgumentException when {@code uri} has no scheme or host
     */
    static Origin of(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("not an absolute URI with a host: " + uri.getScheme() + "://"
                    + uri.getHost());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
        return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
