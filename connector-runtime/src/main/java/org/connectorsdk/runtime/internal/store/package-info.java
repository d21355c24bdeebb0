/**
 * What the embedded sink and state store share: state as JSON, files written atomically and
 * privately, and instance names checked before they become file names.
 *
 * <p>Internal: public only for the runtime's root package; may change in any release.
 *
 * <p>May use: nothing else of the runtime.
 */
package org.connectorsdk.runtime.internal.store;
