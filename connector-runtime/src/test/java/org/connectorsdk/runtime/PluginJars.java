package org.connectorsdk.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.connectorsdk.api.Connector;

/** Builds plugin jars in a test: compiles sources against the api, adds a services file, jars them. */
final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (class name to source text) against connector-api and writes a jar
     * whose {@code META-INF/services/org.connectorsdk.api.Connector} lists {@code services}.
     */
    static Path build(Path jar, Map<String, String> sources, List<String> services) throws IOException {
        return build(jar, sources, services, Set.of());
    }

    /** As {@link #build(Path, Map, List)}, leaving the compiled classes {@code leaveOut} out of the jar. */
    static Path build(Path jar, Map<String, String> sources, List<String> services, Set<String> leaveOut)
            throws IOException {
        Path work = Files.createTempDirectory(jar.getParent(), "build-");
        Path src = work.resolve("src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> options = List.of("--release", "17", "-proc:none", "-d", classes.toString(),
                "-cp", apiClassPath());
        List<String> files = new ArrayList<>();
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), UTF_8);
            files.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, UTF_8)) {
            boolean ok = javac.getTask(errors, fileManager, null, options, null,
                    fileManager.getJavaFileObjectsFromStrings(files)).call();
            if (!ok) {
                throw new IllegalStateException("Test plugin does not compile: " + errors);
            }
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + Connector.class.getName()));
            jarOut.write((String.join("\n", services) + "\n").getBytes(UTF_8));
            jarOut.closeEntry();
            try (Stream<Path> compiled = Files.walk(classes)) {
                for (Path f : compiled.filter(Files::isRegularFile).sorted().toList()) {
                    String entry = classes.relativize(f).toString().replace('\\', '/');
                    if (leaveOut.contains(entry.replace('/', '.').replaceFirst("\\.class$", ""))) {
                        continue;
                    }
                    jarOut.putNextEntry(new JarEntry(entry));
                    jarOut.write(Files.readAllBytes(f));
                    jarOut.closeEntry();
                }
            }
        }
        return jar;
    }

    /** Where connector-api's classes are (target/classes in the reactor, or its jar). */
    private static String apiClassPath() {
        try {
            return Path.of(Connector.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The source of a minimal connector {@code className} with id {@code id}. */
    static String connectorSource(String className, String id, String constructor) {
        int dot = className.lastIndexOf('.');
        return """
                package %s;

                import java.util.List;
                import java.util.Set;
                import org.connectorsdk.api.*;

                public final class %s implements Connector {
                    %s

                    public ConnectorDescriptor descriptor() {
                        return new ConnectorDescriptor("%s", "Plugin Vendor", "Plugin Product", "Testing", "2.0.0",
                                List.of("none"), "In-process", "Unidirectional", Set.of());
                    }
                    public ConfigSpec configSpec() { return ConfigSpec.of(); }
                    public List<ConnectionCheck> connectionChecks() { return List.of(); }
                    public List<StreamSpec> streams() { return List.of(); }
                    public StreamReader open(ConnectorConfig config, ConnectorContext context) {
                        throw new UnsupportedOperationException();
                    }
                }
                """.formatted(className.substring(0, dot), className.substring(dot + 1), constructor, id);
    }
}
