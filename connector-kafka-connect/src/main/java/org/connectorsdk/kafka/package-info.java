/**
 * Any SDK connector as a Kafka Connect source: {@link org.connectorsdk.kafka.SdkSourceConnector}
 * and its task, which runs the instance through the runtime with Connect's offsets as its cursors
 * and Kafka transactions as its commits. Uses connector-api, connector-runtime's public API and
 * Kafka's connect-api.
 */
package org.connectorsdk.kafka;
