/**
 * The time seam: how the runtime waits ({@link org.connectorsdk.runtime.time.Sleeper}), given with a
 * {@link java.time.Clock} through {@code ConnectorRuntime.builder()}, so tests and embedders drive
 * backoff, rate limits and schedules on fake time (the testkit's {@code MutableClock} is both).
 *
 * <p>Supported API.
 *
 * <p>May use: nothing else of the runtime.
 */
package org.connectorsdk.runtime.time;
