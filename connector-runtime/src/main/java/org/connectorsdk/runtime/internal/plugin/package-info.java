/**
 * Plugin isolation: the class loader that loads a plugin jar's own services first.
 *
 * <p>Internal: public only for {@code ConnectorRegistry}; may change in any release.
 *
 * <p>May use: nothing else of the runtime.
 */
package org.connectorsdk.runtime.internal.plugin;
