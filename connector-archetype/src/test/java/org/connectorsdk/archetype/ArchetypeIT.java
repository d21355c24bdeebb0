package org.connectorsdk.archetype;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates a plugin project from the archetype in an empty directory and runs its
 * {@code mvn verify}, as a plugin author would, with nothing but the SDK artifacts this build
 * installed into a private local repository ({@code target/it-repo}). Third-party artifacts come
 * from the outer build's local repository through a {@code file:} mirror, so the nested builds
 * reach no network and write nothing to it.
 */
class ArchetypeIT {
    private static final Path IT_REPO = Path.of(System.getProperty("it.repo"));
    private static final String THIRD_PARTY = System.getProperty("it.thirdPartyRepo");
    private static final Path MVN = Path.of(System.getProperty("it.mavenHome"), "bin", "mvn");

    @TempDir
    Path work;

    @Test
    void aGeneratedProjectPassesItsOwnVerify() throws Exception {
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>outer-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(THIRD_PARTY).toUri()));
        Path empty = Files.createDirectory(work.resolve("empty"));

        Result generate = maven(empty, settings, "org.apache.maven.plugins:maven-archetype-plugin:"
                        + System.getProperty("it.archetypePluginVersion") + ":generate",
                "-DarchetypeGroupId=org.connectorsdk", "-DarchetypeArtifactId=connector-archetype",
                "-DarchetypeVersion=" + System.getProperty("it.sdkVersion"), "-DgroupId=com.example",
                "-DartifactId=acme-connector", "-Dversion=1.0.0-SNAPSHOT", "-Dpackage=com.example.acme",
                "-DinteractiveMode=false");
        assertThat(generate.code()).as("archetype:generate exit code; output:%n%s", generate.output()).isZero();
        Path project = empty.resolve("acme-connector");
        assertThat(project.resolve("src/main/java/com/example/acme/AcmeConnector.java")).exists();
        assertThat(Files.readString(project.resolve("pom.xml"))).contains("<version>" + System.getProperty("it.sdkVersion")
                + "</version>");

        Result verify = maven(project, settings, "verify");
        assertThat(verify.code()).as("the generated project's mvn verify exit code; output:%n%s", verify.output())
                .isZero();
        assertThat(verify.output()).contains("Tests run: 17, Failures: 0, Errors: 0, Skipped: 0");
        assertThat(project.resolve("target/acme-connector-1.0.0-SNAPSHOT.jar")).exists();
        assertThat(Files.readString(project.resolve(
                "target/classes/META-INF/services/org.connectorsdk.api.Connector")).strip())
                .isEqualTo("com.example.acme.AcmeConnector");
        assertThat(mainLines(project.resolve("src/main/java"))).as("lines of main code").isLessThan(150);
    }

    private record Result(int code, String output) {
    }

    private static Result maven(Path dir, Path settings, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(MVN.toString(), "-B", "-nsu", "-s", settings.toString(),
                "-Dmaven.repo.local=" + IT_REPO));
        command.addAll(List.of(goals));
        Path log = dir.resolveSibling(dir.getFileName() + "-" + goals[0].replaceAll("\\W", "_") + ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", goals) + " in " + dir + " did not end within 10 minutes");
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static long mainLines(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long lines = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                lines += Files.readAllLines(file).size();
            }
            return lines;
        }
    }
}
