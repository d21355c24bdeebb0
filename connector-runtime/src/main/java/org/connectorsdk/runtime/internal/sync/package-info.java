/**
 * One run of one instance ({@link org.connectorsdk.runtime.internal.sync.SyncRun}): the paging loop
 * and its guards, delta windows and watermarks, mapping, the positions a run is resumed from, the
 * sink's commit; plus the context a run or a connection test lends the plugin and the connection
 * tester.
 *
 * <p>Internal: public only for the runtime's façade; may change in any release.
 *
 * <p>May use: org.connectorsdk.runtime.internal.http, org.connectorsdk.runtime.transform.
 */
package org.connectorsdk.runtime.internal.sync;
