/**
 * The vendor-neutral connector SPI: what a plugin implements and calls. It depends on the JDK
 * alone; records are immutable trees of plain Java values. What an embedding platform plugs in
 * (sinks, state stores, instance definitions, schedules) is in {@link org.connectorsdk.api.host}.
 *
 * <p>A plugin implements {@link org.connectorsdk.api.Connector} and registers it for
 * {@link java.util.ServiceLoader} (for example with {@code @AutoService(Connector.class)}):
 *
 * <pre>{@code
 * @AutoService(Connector.class)
 * public final class AcmeConnector implements Connector {
 *     public ConnectorDescriptor descriptor() { ... }
 *     public ConfigSpec configSpec() { ... }
 *     public List<ConnectionCheck> connectionChecks() { ... }
 *     public List<StreamSpec> streams() { ... }
 *     public StreamReader open(ConnectorConfig config, ConnectorContext context) { ... }
 * }
 * }</pre>
 */
package org.connectorsdk.api;
