package org.connectorsdk.cortexxdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin jar deployments ship holds the plugin only: the tenant simulator, its classes and
 * its private key live in their own module, used by tests and the demo.
 */
class PluginJarIT {

    @Test
    void thePluginJarHoldsNoSimulatorClassAndNoKeyMaterial() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("connector-cortex-xdr-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no plugin jar under target/: run mvn package"));
        }
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).toList();
        }

        assertThat(entries).as("the plugin's own classes are there").contains(
                "org/connectorsdk/cortexxdr/CortexXdrConnector.class");
        assertThat(entries).as("entries of %s", jar)
                .noneMatch(e -> e.startsWith("org/connectorsdk/cortexxdr/simulator/"))
                .noneMatch(e -> e.matches("(?i).*\\.(p12|pfx|jks|key|pem)$"));
    }
}
