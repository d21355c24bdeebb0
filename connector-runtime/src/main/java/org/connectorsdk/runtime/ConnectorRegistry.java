package org.connectorsdk.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.connectorsdk.api.Connector;
import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.runtime.internal.plugin.PluginClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors available to this process, found with {@link ServiceLoader} on the class path
 * and, optionally, in a directory of plugin jars.
 *
 * <pre>{@code
 * ConnectorRegistry registry = ConnectorRegistry.withPluginDirectory(Path.of("plugins"));
 * Connector xdr = registry.get("cortex-xdr");
 * }</pre>
 *
 * <p>Each plugin jar gets its own class loader whose parent is the loader of the api, so plugins
 * share the SPI types with the runtime but not their own dependencies with each other. A
 * provider that fails to load is logged, kept in {@link #problems()}, and does not stop the
 * others; two connectors with one id are an error naming both.
 */
public final class ConnectorRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);
    /** Stops a service loader that keeps failing on one entry from spinning forever. */
    private static final int MAX_FAILURES_PER_LOADER = 1_000;

    private final Map<String, Loaded> byId;
    private final List<LoadProblem> problems;

    private ConnectorRegistry(Map<String, Loaded> byId, List<LoadProblem> problems) {
        this.byId = byId;
        this.problems = List.copyOf(problems);
    }

    /**
     * The connectors registered on the class path of the current thread's context class loader
     * (or of the runtime's own loader when there is none).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when two connectors share an id
     */
    public static ConnectorRegistry fromClassPath() {
        return fromClassLoader(defaultClassLoader());
    }

    /**
     * The connectors registered for {@code loader}.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when two connectors share an id
     */
    public static ConnectorRegistry fromClassLoader(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        Scan scan = new Scan();
        scan.load(loader, null);
        return scan.build();
    }

    /**
     * A registry of exactly {@code connectors}, for an embedder that makes its connector objects
     * itself (a wrapper that narrows one, a connector built from configuration).
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when two connectors share an id
     */
    public static ConnectorRegistry of(Connector... connectors) {
        Scan scan = new Scan();
        for (Connector connector : connectors) {
            requireNonNull(connector, "a connector is null");
            scan.found.computeIfAbsent(connector.descriptor().id(), k -> new ArrayList<>())
                    .add(new Loaded(connector, "given to ConnectorRegistry.of (" + connector.getClass().getName() + ")"));
        }
        return scan.build();
    }

    /**
     * The connectors on the class path plus those in every {@code *.jar} directly inside
     * {@code pluginDirectory}, each jar in its own class loader.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the directory
     *                            cannot be read or two connectors share an id
     */
    public static ConnectorRegistry withPluginDirectory(Path pluginDirectory) {
        requireNonNull(pluginDirectory, "pluginDirectory is null");
        if (!Files.isDirectory(pluginDirectory)) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Plugin directory " + pluginDirectory.toAbsolutePath() + " does not exist or is not a directory",
                    "Create the directory and put plugin jars in it, or point to the right directory");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(pluginDirectory)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConnectorException(ErrorKind.CONFIGURATION,
                    "Plugin directory " + pluginDirectory.toAbsolutePath() + " cannot be listed ("
                            + e.getClass().getSimpleName() + ")",
                    "Check that the directory is readable by this process", e);
        }
        Scan scan = new Scan();
        scan.load(defaultClassLoader(), null);
        int fromClassPath = scan.loaded();
        ClassLoader apiLoader = Connector.class.getClassLoader();
        for (Path jar : jars) {
            URL url;
            // a class loader skips a broken jar without a word: open it first, so it is reported
            try {
                new JarFile(jar.toFile()).close();
                url = jar.toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                scan.problem(jar.toAbsolutePath().toString(), "cannot be turned into a class path URL: "
                        + e.getMessage(), e);
                continue;
            } catch (IOException e) {
                scan.problem(jar.toAbsolutePath().toString(), "is not a readable jar (" + e.getClass().getSimpleName()
                        + ")", e);
                continue;
            }
            LOG.debug("Loading plugin jar {}", jar);
            scan.load(new PluginClassLoader(jar, url, apiLoader), jar.toAbsolutePath());
        }
        if (!jars.isEmpty() && scan.loaded() == fromClassPath) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "No connector could be loaded from the "
                    + jars.size() + " jar" + (jars.size() == 1 ? "" : "s") + " in plugin directory "
                    + pluginDirectory.toAbsolutePath() + scan.problems.stream()
                            .map(p -> "; " + p.source() + " " + p.message()).collect(Collectors.joining()),
                    "Put connector plugin jars (with META-INF/services/org.connectorsdk.api.Connector) in the directory");
        }
        return scan.build();
    }

    /** Every connector, ordered by id. */
    public List<Connector> connectors() {
        return byId.values().stream().map(Loaded::connector).toList();
    }

    /** The ids of every connector, ordered. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    public Optional<Connector> find(String id) {
        requireNonNull(id, "id is null");
        return Optional.ofNullable(byId.get(id)).map(Loaded::connector);
    }

    /**
     * The connector with {@code id}.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming the known ids
     */
    public Connector get(String id) {
        return find(id).orElseThrow(() -> new ConnectorException(ErrorKind.CONFIGURATION,
                "Unknown connector '" + id + "'; known: "
                        + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet())),
                byId.isEmpty()
                        ? "Put a connector plugin on the class path or in the plugin directory"
                        : "Use one of the known ids; 'connectors list' shows them"));
    }

    /** Where the connector with {@code id} was loaded from: its class and jar or directory. */
    public Optional<String> source(String id) {
        return Optional.ofNullable(byId.get(id)).map(Loaded::source);
    }

    /** The providers that failed to load; empty when all loaded. */
    public List<LoadProblem> problems() {
        return problems;
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ConnectorRegistry.class.getClassLoader();
    }

    /**
     * A provider that could not be loaded.
     *
     * @param source  where it was looked for: the plugin jar, or "class path"
     * @param message what went wrong, with the cause's message
     * @param cause   the error as thrown
     */
    public record LoadProblem(String source, String message, Throwable cause) {
        public LoadProblem {
            requireNonNull(source, "source is null");
            requireNonNull(message, "message is null");
            requireNonNull(cause, "cause is null");
        }

        @Override
        public String toString() {
            return source + ": " + message;
        }
    }

    private record Loaded(Connector connector, String source) {
    }

    /** One discovery pass: collects connectors and problems, then checks ids. */
    private static final class Scan {
        private final Map<String, List<Loaded>> found = new LinkedHashMap<>();
        private final List<LoadProblem> problems = new ArrayList<>();

        void load(ClassLoader loader, Path jar) {
            String where = jar == null ? "class path" : jar.toString();
            Iterator<Connector> it = ServiceLoader.load(Connector.class, loader).iterator();
            int failures = 0;
            while (failures < MAX_FAILURES_PER_LOADER) {
                Connector connector;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    connector = it.next();
                } catch (ServiceConfigurationError e) {
                    failures++;
                    problem(where, describe(e), e);
                    continue;
                } catch (LinkageError e) {
                    // a provider class that cannot be linked (a dependency missing from its jar)
                    failures++;
                    problem(where, "a provider class cannot be loaded: " + e, e);
                    continue;
                }
                String id;
                try {
                    id = connector.descriptor().id();
                } catch (RuntimeException | LinkageError e) {
                    failures++;
                    problem(where, connector.getClass().getName() + " failed to give its descriptor: " + e, e);
                    continue;
                }
                Loaded loaded = new Loaded(connector, sourceOf(connector, jar));
                LOG.debug("Found connector '{}' in {}", id, loaded.source());
                found.computeIfAbsent(id, k -> new ArrayList<>()).add(loaded);
            }
        }

        /** How many connectors were found so far. */
        int loaded() {
            return found.values().stream().mapToInt(List::size).sum();
        }

        void problem(String where, String message, Throwable cause) {
            LOG.warn("Skipping a connector in {}: {}", where, message);
            problems.add(new LoadProblem(where, message, cause));
        }

        ConnectorRegistry build() {
            Map<String, Loaded> byId = new TreeMap<>();
            for (var entry : found.entrySet()) {
                List<Loaded> all = entry.getValue();
                if (all.size() > 1) {
                    throw new ConnectorException(ErrorKind.CONFIGURATION,
                            "Connector id '" + entry.getKey() + "' is provided more than once: "
                                    + all.stream().map(Loaded::source).collect(Collectors.joining(" and ")),
                            "Keep only one of them on the class path or in the plugin directory");
                }
                byId.put(entry.getKey(), all.get(0));
            }
            return new ConnectorRegistry(byId, problems);
        }

        /** The error's message plus its root cause, which says why (the constructor threw ...). */
        private static String describe(Throwable e) {
            String message = e.getMessage();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == e ? message : message + " (caused by " + root + ")";
        }

        private static String sourceOf(Connector connector, Path jar) {
            Class<?> type = connector.getClass();
            if (jar != null && type.getClassLoader() instanceof PluginClassLoader) {
                return type.getName() + " from plugin jar " + jar;
            }
            CodeSource code = type.getProtectionDomain().getCodeSource();
            String location = code == null || code.getLocation() == null ? "an unknown location"
                    : code.getLocation().toString();
            return type.getName() + " from " + location;
        }
    }
}
