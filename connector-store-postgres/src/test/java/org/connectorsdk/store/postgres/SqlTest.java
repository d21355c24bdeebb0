package org.connectorsdk.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A database failure takes the kind its SQL state means, so that only what may pass is retried. */
class SqlTest {
    @ParameterizedTest
    @CsvSource({
        "08006, UNREACHABLE",      // connection failure
        "28P01, AUTHENTICATION",   // invalid password
        "42501, AUTHORIZATION",    // insufficient privilege
        "3D000, CONFIGURATION",    // the database does not exist
        "42P01, INTERNAL",         // undefined table: schema drift
        "23505, INTERNAL",         // unique violation: a defect
        "40P01, TRANSIENT",        // deadlock
        "40001, TRANSIENT",        // serialization failure
        "57P01, TRANSIENT",        // the server shuts down
        "53300, TRANSIENT",        // too many connections
    })
    void aFailureTakesTheKindItsSqlStateMeans(String state, ErrorKind kind) {
        ConnectorException e = Sql.failure("save instance 'eu'", new SQLException("boom", state));

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.kind().isTransient()).isEqualTo(kind == ErrorKind.TRANSIENT || kind == ErrorKind.UNREACHABLE);
        assertThat(e.getMessage()).contains("save instance 'eu'", "SQL state " + state, "boom");
    }

    @Test
    void aFailureWithoutSqlStateIsTransient() {
        ConnectorException e = Sql.failure("commit run r1", new SQLException("I/O error"));

        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.getMessage()).contains("SQL state none");
    }
}
