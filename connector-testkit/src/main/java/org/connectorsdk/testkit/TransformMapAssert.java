package org.connectorsdk.testkit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.connectorsdk.api.FieldMapping;
import org.connectorsdk.api.TransformMap;

/**
 * Assertions on a {@link TransformMap}'s rows:
 *
 * <pre>{@code
 * assertThat(map).readsStream("findings").producesKind("finding")
 *         .mapsRequired("id", "externalFindingId")
 *         .mapsOptional("cve", "findingType.vulnerability.cveId");
 * }</pre>
 */
public final class TransformMapAssert extends AbstractAssert<TransformMapAssert, TransformMap> {

    TransformMapAssert(TransformMap actual) {
        super(actual, TransformMapAssert.class);
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
