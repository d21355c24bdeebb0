package org.connectorsdk.kafka;

/** The version Connect shows for the connector and its task: this jar's. */
final class Versions {
    private Versions() {
    }

    static String sdk() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }
}
