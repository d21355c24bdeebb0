package org.connectorsdk.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example plugin proves neutrality only if it is a plugin like any other: api imports alone, small. */
class ExampleIsApiOnlyTest {
    private static final Path SOURCE =
            Path.of("src/test/java/org/connectorsdk/testkit/example/ExampleVulnScanConnector.java");

    @Test
    void importsNothingOfTheRuntimeOrTheTestkit() throws Exception {
        List<String> imports = Files.readAllLines(SOURCE, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("import ")).toList();

        assertThat(imports).isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                "import (org\\.connectorsdk\\.api\\.|com\\.fasterxml\\.jackson\\.|com\\.google\\.auto\\.service\\.|java\\.).*"));
    }

    @Test
    void staysUnderTwoHundredLines() throws Exception {
        assertThat(Files.readAllLines(SOURCE, StandardCharsets.UTF_8)).hasSizeLessThan(200);
    }
}
