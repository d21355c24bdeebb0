/**
 * PostgreSQL as the platform's store: {@link org.connectorsdk.store.postgres.PostgresStore} opens a
 * database, applies the schema migrations and hands out a transactional
 * {@link org.connectorsdk.store.postgres.PostgresRecordSink} (records, cursors and the run in one
 * transaction, reconciliation of gone records and fixed findings, change counts) and a
 * {@link org.connectorsdk.store.postgres.PostgresStateStore}. Uses the api, the runtime's state JSON,
 * JDBC, Flyway and HikariCP.
 */
package org.connectorsdk.store.postgres;
