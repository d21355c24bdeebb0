package org.connectorsdk.cortexxdr;

import org.connectorsdk.api.ErrorKind;

/**
 * The troubleshooting texts a Cortex XDR admin needs, worded after the connector spec's
 * troubleshooting table. Checks and run errors carry them as their remediation.
 */
final class Remediation {
    /** Any 401, and a wrong security level. */
    static final String AUTHENTICATION = "Verify the Base URL, the API key and the API key ID. The key's security"
            + " level must match the configured security level (a Standard key with securityLevel standard, an"
            + " Advanced key with securityLevel advanced), the key needs at least the Viewer role, and it may have"
            + " expired: create a new key if so.";

    /** The tenant could not be reached. */
    static final String CONNECTION = "Check the Base URL: it must be https://api-<fqdn> with the protocol prefix,"
            + " the FQDN must match the tenant's region (e.g. api-<tenant>.xdr.us.paloaltonetworks.com), and port"
            + " 443 must be reachable from this host (firewall, proxy).";

    /** TLS failed. */
    static final String TLS = "Check that the Base URL names the tenant's API host exactly (https://api-<fqdn>)."
            + " If the tenant is reached through a proxy or private endpoint that uses a private CA, set"
            + " caCertificate to that CA's PEM certificate (inline, file:PATH or env:NAME); verification is never"
            + " switched off.";

    /** 429. */
    static final String RATE_LIMITED = "Cortex XDR enforces per-minute rate limits per tenant (about 10 requests"
            + " per second across all APIs): back off exponentially and retry later, lower maxRequestsPerSecond,"
            + " or run fewer instances against this tenant at once.";

    /** An answer that is not what the API promises. */
    static final String BAD_RESPONSE = "Check that the Base URL points at the tenant's API host (https://api-<fqdn>)"
            + " and not at the web console or a proxy's login page; if it does, retry later and contact Palo Alto"
            + " Networks support if the reply stays malformed.";

    /** Transient server trouble that outlived the retries. */
    static final String TRANSIENT = "The Cortex XDR tenant had a temporary fault: retry later; if it persists,"
            + " check the tenant's status with Palo Alto Networks.";

    /** An XQL call refused for want of the licence. */
    static final String XQL_LICENCE = "XQL and the vulnerability datasets va_endpoints and va_cves need "
            + "the Cortex XDR Host Insights add-on (Vulnerability Assessment) on the tenant: enable it, or set "
            + "'vulnerabilitiesUnavailable' to 'assets-only' to sync assets without findings";

    /** The software stream's XQL query refused for want of the licence. */
    static final String SOFTWARE_LICENCE = "Installed software is read with XQL from the Host Insights host"
            + " inventory, which needs the Cortex XDR Pro licence with the Host Insights add-on: enable it, or set"
            + " 'software' to false to sync without installed software";

    /** An XQL call refused because the tenant's daily query quota is spent. */
    static final String XQL_QUOTA = "Each sync spends one XQL query; wait until the tenant's daily XQL quota is"
            + " renewed, or raise it, then run the sync again";

    private Remediation() {
    }

    /** Any other refused XQL call, by the kind its status stands for. */
    static String xql(ErrorKind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "Verify the Base URL, API key and API key ID; the key may have expired";
            case AUTHORIZATION -> "Give the API key a role that may run XQL queries, or set 'dataToSync' to 'assets'";
            case RATE_LIMITED -> "Lower 'maxRequestsPerSecond' or run fewer integrations against this tenant at once";
            case BAD_REQUEST -> "Check that the Base URL points at the tenant's API host; if it does, report this error";
            case TRANSIENT -> "Cortex XDR had a server fault; the next sync tries again";
            default -> "The tenant's XQL API did not answer as documented; report it if it persists";
        };
    }

    /** 403: the role, or the security level. */
    static String authorization(String api) {
        return "The API key's role lacks permission for " + api + ", or the key's security level differs from the"
                + " configured securityLevel: give the key a role that may use this API (at least Viewer for"
                + " reading), or set securityLevel to the key's level.";
    }

    /** 402: the licence. */
    static String license(String api) {
        return "The tenant's licence does not include " + api + ": ask your Palo Alto Networks account team for the"
                + " licence or add-on that covers it.";
    }

    /** 400, 404 and business errors. */
    static String badRequest(String api) {
        return "Cortex XDR refused the request to " + api + ": check the Base URL (https://api-<fqdn>, without a"
                + " path) and the configured filters.";
    }
}
