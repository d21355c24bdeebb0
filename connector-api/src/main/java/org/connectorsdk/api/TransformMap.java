package org.connectorsdk.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A declarative mapping from one stream's vendor records to one kind of target record. Maps are
 * data: the runtime compiles and applies them, shows them as JSON, and lets an instance
 * override rows. Build one so it reads like its table:
 *
 * <pre>{@code
 * TransformMap.named("Acme Asset Transform Map")
 *     .from("assets").to("asset")
 *     .required("id", "externalAssetId")
 *     .required("hostname", "hostName")
 *     .optional("first_seen", "firstFoundDate", "epochMillisToIso")
 *     .build();
 * }</pre>
 *
 * @param name           unique within the connector, e.g. "Cortex XDR Asset Transform Map"
 * @param sourceStream   the stream whose records it reads
 * @param targetKind     the target model it produces, e.g. {@code asset}, {@code incident}
 * @param activeByDefault whether it applies when a configuration does not choose otherwise
 * @param mappings       the rows, in table order
 */
public record TransformMap(String name, String sourceStream, String targetKind, boolean activeByDefault,
        List<FieldMapping> mappings) {

    public TransformMap {
        requireNonNull(name, "name is null");
        requireNonNull(sourceStream, "sourceStream is null");
        requireNonNull(targetKind, "targetKind is null");
        mappings = List.copyOf(requireNonNull(mappings, "mappings is null"));
        if (mappings.isEmpty()) {
            throw new IllegalArgumentException("Transform map '" + name + "' has no rows");
        }
    }

    /** The rows writing {@code targetPath}. */
    public List<FieldMapping> rowsFor(String targetPath) {
        return mappings.stream().filter(m -> m.targetPath().equals(targetPath)).toList();
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Fluent construction, one call per table row. */
    public static final class Builder {
        private final String name;
        private String sourceStream;
        private String targetKind;
        private boolean activeByDefault = true;
        private final List<FieldMapping> rows = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder from(String sourceStream) {
            this.sourceStream = sourceStream;
            return this;
        }

        public Builder to(String targetKind) {
            this.targetKind = targetKind;
            return this;
        }

        public Builder activeByDefault(boolean active) {
            this.activeByDefault = active;
            return this;
        }

        public Builder required(String sourcePath, String targetPath) {
            return row(sourcePath, targetPath, true, null);
        }

        public Builder required(String sourcePath, String targetPath, String converter) {
            return row(sourcePath, targetPath, true, converter);
        }

        public Builder optional(String sourcePath, String targetPath) {
            return row(sourcePath, targetPath, false, null);
        }

        public Builder optional(String sourcePath, String targetPath, String converter) {
            return row(sourcePath, targetPath, false, converter);
        }

        /** Appends every row of {@code other} (for maps that extend another). */
        public Builder rowsOf(TransformMap other) {
            rows.addAll(other.mappings());
            return this;
        }

        /** Drops the rows writing {@code targetPath} (before replacing them). */
        public Builder without(String sourcePath, String targetPath) {
            rows.removeIf(r -> r.sourcePath().equals(sourcePath) && r.targetPath().equals(targetPath));
            return this;
        }

        private Builder row(String sourcePath, String targetPath, boolean required, String converter) {
            try {
                rows.add(new FieldMapping(sourcePath, targetPath, required, Optional.ofNullable(converter)));
            } catch (IllegalArgumentException e) {
                // the row alone cannot say which map it belongs to
                throw new IllegalArgumentException("Transform map '" + name + "', row " + (rows.size() + 1) + ": "
                        + e.getMessage(), e);
            }
            return this;
        }

        public TransformMap build() {
            return new TransformMap(name, sourceStream, targetKind, activeByDefault, rows);
        }
    }
}
