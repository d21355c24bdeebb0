package org.connectorsdk.api;

/** The five steps of a connection test, in the order the runtime runs them. */
public enum CheckKind {
    /** The host resolves and a TCP connection opens on the URL's port. */
    NETWORK_REACHABILITY("Network Reachability"),
    /** A TLS handshake succeeds with the certificate and host name verified. */
    TLS_HANDSHAKE("TLS Handshake"),
    /** The vendor accepts the credentials. */
    AUTHENTICATION("Authentication Credential Check"),
    /** The credentials may read what the configuration selects. */
    AUTHORIZATION_SCOPE("Authorization Scope Check"),
    /** One page of data comes back and parses. */
    DATA_FETCH("Data Fetch");

    private final String title;

    CheckKind(String title) {
        this.title = title;
    }

    /** The step's name as a setup form shows it. */
    public String title() {
        return title;
    }
}
