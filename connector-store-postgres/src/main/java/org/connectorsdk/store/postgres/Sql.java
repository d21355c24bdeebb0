package org.connectorsdk.store.postgres;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.runtime.internal.store.StateJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

/** JSON in and out of jsonb columns, and the one form a database failure takes. */
final class Sql {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() { };

    private Sql() {
    }

    static String json(Object value) {
        try {
            return StateJson.COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "A value could not be written as JSON: "
                    + e.getOriginalMessage(), "This is a defect; report it with the log", e);
        }
    }

    static Map<String, Object> parse(String json) {
        try {
            return StateJson.COMPACT.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "A jsonb value read back from PostgreSQL is not a "
                    + "JSON object: " + e.getOriginalMessage(), "This is a defect; report it with the log", e);
        }
    }

    static List<Object> parseList(String json) {
        try {
            return StateJson.COMPACT.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "A jsonb value read back from PostgreSQL is not a "
                    + "JSON array: " + e.getOriginalMessage(), "This is a defect; report it with the log", e);
        }
    }

    /**
     * A failed statement, of the kind its SQL state says: the SQL state and the driver's message,
     * which never holds a bound value.
     */
    static ConnectorException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = "PostgreSQL could not " + what + " (SQL state " + (state.isEmpty() ? "none" : state) + "): "
                + e.getMessage();
        return switch (kind(state)) {
            case UNREACHABLE -> new ConnectorException(ErrorKind.UNREACHABLE, message, "Check that the database is "
                    + "up and reachable from this host; the run can be repeated safely", e);
            case AUTHENTICATION -> new ConnectorException(ErrorKind.AUTHENTICATION, message, "Check the user and "
                    + "password in PGUSER/PGPASSWORD (or --store-user/--store-password)", e);
            case AUTHORIZATION -> new ConnectorException(ErrorKind.AUTHORIZATION, message, "Grant the user the right "
                    + "to read and write the schema '" + PostgresStore.SCHEMA + "' and its tables", e);
            case CONFIGURATION -> new ConnectorException(ErrorKind.CONFIGURATION, message, "Check the database "
                    + "named in the store URL and that the schema '" + PostgresStore.SCHEMA + "' exists", e);
            case INTERNAL -> new ConnectorException(ErrorKind.INTERNAL, message, "The schema '" + PostgresStore.SCHEMA
                    + "' is not the one this release migrates to, or this is a defect: report it with the log", e);
            default -> new ConnectorException(ErrorKind.TRANSIENT, message, "It may pass on its own (the server "
                    + "was busy, restarting or broke a deadlock); the run can be repeated safely", e);
        };
    }

    /** What a SQL state means to an operator: by its class (the first two characters), some by the whole code. */
    static ErrorKind kind(String state) {
        if (state.equals("42501")) {
            return ErrorKind.AUTHORIZATION;
        }
        if (state.equals("3D000") || state.equals("3F000")) {
            return ErrorKind.CONFIGURATION;
        }
        String cls = state.length() >= 2 ? state.substring(0, 2) : "";
        return switch (cls) {
            case "08" -> ErrorKind.UNREACHABLE;
            case "28" -> ErrorKind.AUTHENTICATION;
            // a statement the server cannot run or data it refuses: a schema drift or a defect, which
            // no retry mends
            case "22", "23", "42" -> ErrorKind.INTERNAL;
            // deadlocks, serialization failures, resources, shutdowns, cancels, and no state at all
            // (an I/O error): these may pass
            default -> ErrorKind.TRANSIENT;
        };
    }
}
