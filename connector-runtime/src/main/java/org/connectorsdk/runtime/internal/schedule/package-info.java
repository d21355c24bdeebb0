/**
 * When each instance runs ({@link org.connectorsdk.runtime.internal.schedule.Scheduler}): occurrences,
 * jitter, per-stream poll intervals, coalescing and the saved plan. It starts runs through a
 * dispatcher the façade gives it and never runs anything itself.
 *
 * <p>Internal: public only for the runtime's façade; may change in any release.
 *
 * <p>May use: nothing else of the runtime.
 */
package org.connectorsdk.runtime.internal.schedule;
