/**
 * The HTTP transport the runtime lends its plugins: the transport factory (one client per trust
 * configuration; one rate limiter and one vendor clock estimate per tenant), sending with retries
 * and backoff, the retry budget, TCP and TLS probes, redaction of secrets, trust material, TLS
 * failure explanations, body size limits and the cancellation signal that abandons requests in
 * flight.
 *
 * <p>Internal: public only for the runtime's other packages; may change in any release.
 *
 * <p>May use: org.connectorsdk.runtime.time.
 */
package org.connectorsdk.runtime.internal.http;
