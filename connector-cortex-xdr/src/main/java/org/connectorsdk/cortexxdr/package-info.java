/**
 * The Palo Alto Networks Cortex XDR connector: endpoints (host assets) with their vulnerability
 * findings, read page by page from a tenant's public API through the runtime's transport.
 *
 * <pre>{@code
 * Connector xdr = ConnectorRegistry.fromClassPath().get("cortex-xdr");
 * ConnectorConfig config = xdr.configSpec().bind(Map.of(
 *         "name", "tenant-eu",
 *         "baseUrl", "https://api-acme.xdr.eu.paloaltonetworks.com",
 *         "apiKey", "env:CORTEX_XDR_API_KEY",
 *         "apiKeyId", "2"));
 * }</pre>
 *
 * <p>Inside: {@link org.connectorsdk.cortexxdr.CortexXdrConnector} declares the descriptor,
 * setup fields, streams and the five connection checks; {@code CortexXdrClient} speaks the API
 * (both key levels, the error envelope); {@code EndpointPager} turns {@code get_endpoint} into
 * page steps with O(1)-memory de-duplication; {@code CortexXdrChecks} holds the checks and
 * {@code Remediation} the troubleshooting texts. The fake tenant that tests and the demo use
 * lives in its own module, {@code connector-cortex-xdr-simulator}, and never ships in this jar.
 */
package org.connectorsdk.cortexxdr;
