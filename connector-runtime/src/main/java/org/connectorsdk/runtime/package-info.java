/**
 * The runtime's front doors, for a platform that embeds it: {@link org.connectorsdk.runtime.ConnectorRuntime}
 * (register, test, run, schedule, cancel, status, history), {@link org.connectorsdk.runtime.ConnectorRegistry}
 * (plugin discovery), and the embedded defaults {@link org.connectorsdk.runtime.JsonLinesSink},
 * {@link org.connectorsdk.runtime.FileStateStore} and {@link org.connectorsdk.runtime.InstanceFiles}.
 * The façade's parts (binding, registration, dispatch, history) are package-private here.
 *
 * <p>Supported API. The supported packages are this one, {@code org.connectorsdk.runtime.transform}
 * and {@code org.connectorsdk.runtime.time}; everything under {@code org.connectorsdk.runtime.internal}
 * is public only for its sibling packages and may change in any release.
 *
 * <p>May use: org.connectorsdk.runtime.transform, org.connectorsdk.runtime.time,
 * org.connectorsdk.runtime.internal.http, org.connectorsdk.runtime.internal.sync,
 * org.connectorsdk.runtime.internal.schedule, org.connectorsdk.runtime.internal.store,
 * org.connectorsdk.runtime.internal.plugin.
 */
package org.connectorsdk.runtime;
