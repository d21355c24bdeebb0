/**
 * The host side of the SPI: what a platform embedding the runtime implements or receives
 * (record sinks, state stores, instance definitions, schedules, run summaries and states).
 * A plugin never needs these types; it uses {@link org.connectorsdk.api} alone.
 */
package org.connectorsdk.api.host;
