/**
 * A simulated Palo Alto Networks Cortex XDR tenant on loopback HTTPS, for tests, the demo and
 * benchmarks: the real paths, both API key levels, paging, sorting and filters, XQL over
 * synthetic vulnerability data, incidents and alerts that change over time, a request-rate limit
 * and faults on demand. Seeded and deterministic; a million endpoints cost no memory.
 *
 * <pre>{@code
 * try (CortexXdrSimulator tenant = CortexXdrSimulator.builder()
 *         .endpoints(10_000).seed(42).standardKey("1", "test-key").start()) {
 *     tenant.faults().onPath(CortexXdrSimulator.GET_ENDPOINT).request(3).respond(TenantFault.status(503));
 *     // point a client at tenant.baseUrl(), trusting tenant.caCertificatePem()
 * }
 * }</pre>
 *
 * <p>The bundled TLS key and CA are public test material: never trust that CA elsewhere.
 */
package org.connectorsdk.cortexxdr.simulator;
