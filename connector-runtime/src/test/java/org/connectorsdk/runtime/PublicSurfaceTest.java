package org.connectorsdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime is one package whose machinery stays package-private: only the front doors are
 * public, so a new public type is a decision made here, not an accident.
 */
class PublicSurfaceTest {
    private static final Path SOURCES = Path.of("src/main/java/org/connectorsdk/runtime");

    @Test
    void onlyTheFrontDoorsArePublic() throws IOException {
        List<String> publicTypes;
        try (Stream<Path> files = Files.list(SOURCES)) {
            publicTypes = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(PublicSurfaceTest::declaresPublicType)
                    .map(f -> f.getFileName().toString().replace(".java", "")).sorted().toList();
        }

        assertThat(publicTypes).as("public top-level types of org.connectorsdk.runtime").containsExactlyInAnyOrder(
                // embedding and the CLI
                "ConfigSchemas", "ConnectorRegistry", "ConnectorRuntime", "FileStateStore", "InstanceFiles",
                "JsonLinesSink", "TransformMapJson",
                // the transform engine, for the CLI's transform command and the testkit's map assertions
                "CompiledMap", "TransformEngine", "TransformOutcome");
    }

    private static boolean declaresPublicType(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("public "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
