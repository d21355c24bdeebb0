package org.connectorsdk.store.postgres;

import java.sql.SQLException;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

/**
 * A PostgreSQL database as sink and state store. Opening it applies the schema migrations
 * (versioned scripts in the schema {@code connectors}, applied once, in order, at start) and keeps a
 * connection pool until {@link #close}:
 *
 * <pre>{@code
 * try (PostgresStore store = PostgresStore.open("jdbc:postgresql://db:5432/inventory", user, password)) {
 *     ConnectorRuntime runtime = ConnectorRuntime.builder()
 *             .sink(store.sink()).stateStore(store.stateStore()).build();
 * }
 * }</pre>
 */
public final class PostgresStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    /** The schema every table lives in. */
    public static final String SCHEMA = "connectors";

    private final HikariDataSource pool;
    private final PostgresRecordSink sink;
    private final PostgresStateStore stateStore;
    private final StoreExport export;

    private PostgresStore(HikariDataSource pool) {
        this.pool = pool;
        this.sink = new PostgresRecordSink(pool);
        this.stateStore = new PostgresStateStore(pool);
        this.export = new StoreExport(pool);
    }

    /**
     * Connects, migrates the schema and returns the store.
     *
     * @param jdbcUrl  {@code jdbc:postgresql://HOST:PORT/DB}
     * @throws ConnectorException {@code UNREACHABLE} when the database cannot be reached or refuses
     *                            the user, {@code CONFIGURATION} when the URL is not PostgreSQL's
     */
    public static PostgresStore open(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "The store URL '" + withoutQuery(jdbcUrl)
                    + "' is not a PostgreSQL JDBC URL", "Give jdbc:postgresql://HOST:PORT/DB");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("connectors-postgres");
        config.setMaximumPoolSize(16);
        config.addDataSourceProperty("currentSchema", SCHEMA);
        config.addDataSourceProperty("ApplicationName", "connector-sdk");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            String why = e.getCause() instanceof SQLException sql ? " (SQL state " + sql.getSQLState() + "): "
                    + sql.getMessage() : "";
            throw new ConnectorException(ErrorKind.UNREACHABLE, "PostgreSQL at " + withoutQuery(jdbcUrl)
                    + " could not be opened as user '" + user + "'" + why, "Check the host, port and database, and "
                    + "the user and password in PGUSER/PGPASSWORD", e);
        }
        try {
            var result = Flyway.configure().dataSource(pool).schemas(SCHEMA).createSchemas(true)
                    .locations("classpath:db/connectorsdk").load().migrate();
            LOG.info("PostgreSQL store at {}: schema {} at version {} ({} migrations applied)", withoutQuery(jdbcUrl),
                    SCHEMA, result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            pool.close();
            throw new ConnectorException(ErrorKind.CONFIGURATION, "The schema '" + SCHEMA + "' of PostgreSQL at "
                    + withoutQuery(jdbcUrl) + " could not be migrated: " + e.getMessage(), "Give the user the right "
                    + "to create the schema and its tables, or create the schema for it", e);
        }
        return new PostgresStore(pool);
    }

    /** The URL without its query, where a password could be. */
    private static String withoutQuery(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    /** The transactional sink: records, cursors and the run in one commit. */
    public PostgresRecordSink sink() {
        return sink;
    }

    public PostgresStateStore stateStore() {
        return stateStore;
    }

    /** The current view, as JSON Lines, for an operator who does not write SQL. */
    public StoreExport export() {
        return export;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + withoutQuery(pool.getJdbcUrl()) + "]";
    }
}
