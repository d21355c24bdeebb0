package org.connectorsdk.cli;

import org.connectorsdk.api.ConfigField;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.FieldType;
import org.connectorsdk.api.Secret;
import org.connectorsdk.api.host.InstanceDefinition;

/**
 * Reads an instance's {@code file:} references (keys, CA certificates) once before any check,
 * so {@code file:/dev/zero}, a FIFO or a huge file is bad input (exit code 2) naming the field,
 * not a failed check; the value read is dropped, and read again when used.
 */
final class FileReferences {
    private FileReferences() {
    }

    /**
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the field
     */
    static void check(Connector connector, InstanceDefinition definition) {
        for (ConfigField field : connector.configSpec().fields()) {
            Object raw = definition.config().get(field.name());
            if (!(raw instanceof String value) || !value.startsWith("file:")) {
                continue;
            }
            if (field.type() == FieldType.SECRET) {
                Secret.of(field.name(), value).reveal();
            } else if (field.type() == FieldType.PEM) {
                Secret.resolveReference(field.name(), value);
            }
        }
    }
}
