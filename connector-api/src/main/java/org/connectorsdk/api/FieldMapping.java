package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One row of a {@link TransformMap}: a source path, a target path, whether the target is
 * required, and an optional converter by name.
 *
 * <p>Paths are dot-separated field names; {@code []} after a name addresses every element of
 * an array: {@code cves[].name -> finding[].externalFindingId} makes one finding per CVE,
 * {@code mac_address[] -> networkInterfaces[].macAddress} fills interfaces by index.
 *
 * @param sourcePath where the value is read in the vendor record
 * @param targetPath where it is written in the target record
 * @param required   whether a record (or array element) lacking the value is rejected
 * @param converter  the converter the runtime applies to the value: a built-in one's name
 *                   ({@code epochMillisToIso}), or one of the connector's own {@link Converter}s
 *                   as {@code <connector id>:<name>} ({@code acme-edr:status})
 */
public record FieldMapping(String sourcePath, String targetPath, boolean required, Optional<String> converter) {
    public FieldMapping {
        requireNonBlank(sourcePath, "sourcePath", targetPath);
        requireNonBlank(targetPath, "targetPath", sourcePath);
        requireNonNull(converter, "converter is null");
    }

    private static void requireNonBlank(String value, String name, String other) {
        String row = " in the row " + (name.equals("sourcePath") ? "-> '" + other + "'" : "'" + other + "' ->");
        requireNonNull(value, name + " is null" + row);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank" + row + "; give the dot-separated path of a "
                    + "field, e.g. cves[].name");
        }
    }
}
