package org.connectorsdk.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java examples compiling: each block under an
 * {@code <!-- example: PATH -->} marker must equal the {@code tag::readme[]} region of that
 * source file, which the test compiler builds (and other tests run).
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: (\\S+) -->\\R```java\\R(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheReadmeIsAnExampleFile() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), UTF_8);
        Matcher example = EXAMPLE.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (example.find()) {
            Path source = ROOT.resolve(example.group(1));
            assertThat(source).as("example source named in the README").isRegularFile();
            assertThat(example.group(2)).as("README block for " + example.group(1))
                    .isEqualTo(taggedRegion(Files.readString(source, UTF_8)));
            checked.add(example.group(1));
        }

        assertThat(checked).as("the embedding, plugin and testkit examples").containsExactlyInAnyOrder(
                "connector-cli/src/test/java/org/connectorsdk/cli/examples/EmbeddingExample.java",
                "connector-cli/src/test/java/org/connectorsdk/cli/examples/SyncExample.java",
                "connector-store-postgres/src/test/java/org/connectorsdk/store/postgres/EmbeddingExample.java",
                "connector-cli/src/test/java/org/connectorsdk/cli/examples/AcmeConnector.java",
                "connector-testkit/src/test/java/org/connectorsdk/testkit/example/ExampleVulnScanTest.java",
                "connector-testkit/src/test/java/org/connectorsdk/testkit/example/ExampleVulnScanContractTest.java");
        assertThat(Pattern.compile("```java").matcher(readme).results().count())
                .as("no Java block without an example file behind it").isEqualTo(checked.size());
    }

    @Test
    void theReadmeTestCommandIsWhatCiRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), UTF_8);
        String ci = Files.readString(ROOT.resolve(".ci/run"), UTF_8);

        assertThat(readme).contains("\nmvn -B verify\n");
        assertThat(ci).contains("\nmvn -B verify").startsWith("#!/usr/bin/env bash\n").contains("set -euo pipefail");
        assertThat(Files.isExecutable(ROOT.resolve(".ci/run"))).as(".ci/run is executable").isTrue();
    }

    /** The lines between the tags, with their common indentation removed. */
    static String taggedRegion(String source) {
        List<String> lines = source.lines().toList();
        int begin = indexOf(lines, "// tag::readme[]");
        int end = indexOf(lines, "// end::readme[]");
        assertThat(begin).as("tag::readme[]").isNotNegative().isLessThan(end);
        List<String> region = lines.subList(begin + 1, end);
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : region) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
