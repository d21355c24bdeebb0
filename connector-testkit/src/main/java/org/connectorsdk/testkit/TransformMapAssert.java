package org.connectorsdk.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;
import org.connectorsdk.runtime.transform.TransformEngine;
import org.connectorsdk.runtime.transform.TransformOutcome;

/**
 * Assertions on a {@link TransformMap}'s rows:
 *
 * <pre>{@code
 * assertThat(map).readsStream("findings").producesKind("finding")
 *         .mapsRequired("id", "externalFindingId")
 *         .mapsOptional("cve", "findingType.vulnerability.cveId");
 * assertThat(map).appliedTo(vendorRecord).hasFieldEqualTo("severity", 4);
 * }</pre>
 *
 * <p>{@link #appliedTo} and {@link #rejects} run the map through the runtime's transform
 * engine, so converters and array rules behave exactly as in a sync (a map reached through
 * {@link ConnectorAssert#transformMap} may name its connector's own converters).
 */
public final class TransformMapAssert extends AbstractAssert<TransformMapAssert, TransformMap> {

    /** The connector whose converters the map may name; null for a map asserted on its own. */
    private final Connector connector;

    TransformMapAssert(TransformMap actual, Connector connector) {
        super(actual, TransformMapAssert.class);
        this.connector = connector;
    }

    /** It reads {@code stream}. */
    public TransformMapAssert readsStream(String stream) {
        isNotNull();
        if (!actual.sourceStream().equals(stream)) {
            failWithMessage("%s", "Expected map \"" + actual.name() + "\" to read stream '" + stream + "' but it reads '"
                    + actual.sourceStream() + "'");
        }
        return this;
    }

    /** It produces target records of {@code kind}. */
    public TransformMapAssert producesKind(String kind) {
        isNotNull();
        if (!actual.targetKind().equals(kind)) {
            failWithMessage("%s", "Expected map \"" + actual.name() + "\" to produce '" + kind + "' but it produces '"
                    + actual.targetKind() + "'");
        }
        return this;
    }

    /** A row maps {@code sourcePath} to {@code targetPath}, required or not. */
    public TransformMapAssert maps(String sourcePath, String targetPath) {
        row(sourcePath, targetPath);
        return this;
    }

    /** A required row maps {@code sourcePath} to {@code targetPath}. */
    public TransformMapAssert mapsRequired(String sourcePath, String targetPath) {
        FieldMapping row = row(sourcePath, targetPath);
        if (!row.required()) {
            failWithMessage("%s", "Expected the row " + sourcePath + " -> " + targetPath + " of map \"" + actual.name()
                    + "\" to be required but it is optional");
        }
        return this;
    }

    /** An optional row maps {@code sourcePath} to {@code targetPath}. */
    public TransformMapAssert mapsOptional(String sourcePath, String targetPath) {
        FieldMapping row = row(sourcePath, targetPath);
        if (row.required()) {
            failWithMessage("%s", "Expected the row " + sourcePath + " -> " + targetPath + " of map \"" + actual.name()
                    + "\" to be optional but it is required");
        }
        return this;
    }

    /** The row {@code sourcePath -> targetPath} uses the converter {@code converter}. */
    public TransformMapAssert converts(String sourcePath, String targetPath, String converter) {
        FieldMapping row = row(sourcePath, targetPath);
        if (!row.converter().equals(Optional.of(converter))) {
            failWithMessage("%s", "Expected the row " + sourcePath + " -> " + targetPath + " of map \"" + actual.name()
                    + "\" to use converter '" + converter + "' but it uses "
                    + row.converter().map(c -> "'" + c + "'").orElse("none"));
        }
        return this;
    }

    /** The required target paths are exactly {@code targetPaths}. */
    public TransformMapAssert hasRequiredTargets(String... targetPaths) {
        isNotNull();
        Set<String> found = new TreeSet<>(actual.mappings().stream().filter(FieldMapping::required)
                .map(FieldMapping::targetPath).toList());
        Set<String> want = new TreeSet<>(List.of(targetPaths));
        if (!found.equals(want)) {
            failWithMessage("%s", "Expected map \"" + actual.name() + "\" to require exactly " + want + " but it requires "
                    + found);
        }
        return this;
    }

    /** Applies the map to {@code source} and gives assertions on the target record; fails if rejected. */
    public RecordAssert appliedTo(Map<String, Object> source) {
        TransformOutcome outcome = apply(source);
        if (outcome.record().isEmpty()) {
            throw failure("%s", "Expected map \"" + actual.name() + "\" to produce a record but it rejected it: "
                    + outcome.rejections() + ". Source: " + RecordPaths.show(source));
        }
        return new RecordAssert(outcome.record().get(), "the record map \"" + actual.name() + "\" produced");
    }

    /** Applying the map to {@code source} rejects it with a reason containing {@code reason}. */
    public TransformMapAssert rejects(Map<String, Object> source, String reason) {
        TransformOutcome outcome = apply(source);
        if (outcome.record().isPresent()) {
            failWithMessage("%s", "Expected map \"" + actual.name() + "\" to reject the record but it produced "
                    + RecordPaths.show(outcome.record().get()));
        } else if (outcome.rejections().stream().noneMatch(r -> r.contains(reason))) {
            failWithMessage("%s", "Expected map \"" + actual.name() + "\" to reject the record with a reason containing \""
                    + reason + "\" but the reasons were " + outcome.rejections());
        }
        return this;
    }

    private TransformOutcome apply(Map<String, Object> source) {
        isNotNull();
        return (connector == null ? TransformEngine.compile(actual) : TransformEngine.compile(actual, connector))
                .apply(source);
    }

    private FieldMapping row(String sourcePath, String targetPath) {
        isNotNull();
        return actual.mappings().stream()
                .filter(m -> m.sourcePath().equals(sourcePath) && m.targetPath().equals(targetPath))
                .findFirst()
                .orElseThrow(() -> failure("%s", "Expected map \"" + actual.name() + "\" to map " + sourcePath + " -> "
                        + targetPath + " but " + near(sourcePath, targetPath)));
    }

    private String near(String sourcePath, String targetPath) {
        List<FieldMapping> near = actual.mappings().stream()
                .filter(m -> m.sourcePath().equals(sourcePath) || m.targetPath().equals(targetPath)).toList();
        if (!near.isEmpty()) {
            return "found " + render(near);
        }
        return "no row reads " + sourcePath + " or writes " + targetPath + "; rows: " + render(actual.mappings());
    }

    static String render(List<FieldMapping> rows) {
        return rows.stream().map(m -> m.sourcePath() + " -> " + m.targetPath() + (m.required() ? " (required)" : "")
                + m.converter().map(c -> " [" + c + "]").orElse("")).collect(Collectors.joining(", ", "[", "]"));
    }
}
