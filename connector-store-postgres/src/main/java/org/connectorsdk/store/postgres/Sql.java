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

    /** A failed statement: the SQL state and the driver's message, which never holds a bound value. */
    static ConnectorException failure(String what, SQLException e) {
        return new ConnectorException(ErrorKind.TRANSIENT, "PostgreSQL could not " + what + " (SQL state "
                + e.getSQLState() + "): " + e.getMessage(), "Check that the database is up and reachable and that "
                + "the user may write the schema 'connectors'; the run can be repeated safely", e);
    }
}
