/**
 * {@code connectors serve}: the runtime behind a REST API ({@code /api/v1}), Prometheus metrics
 * ({@code /metrics}) and the guided-setup web console (static files in this jar). Owns the HTTP
 * layer only; every decision about instances, checks and runs stays in the runtime. Uses the
 * runtime's public API, Javalin, Jackson and Micrometer.
 */
package org.connectorsdk.server;
