package org.connectorsdk.runtime.internal.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Enumeration;

/**
 * The class loader of one plugin jar. Classes resolve parent-first, so the plugin sees the very
 * api types the runtime uses; service registrations are read from the jar alone, so scanning a
 * plugin does not find the class path's connectors a second time.
 */
public final class PluginClassLoader extends URLClassLoader {
    private static final String SERVICES = "META-INF/services/";

    static {
        registerAsParallelCapable();
    }

    private final Path jar;

    public PluginClassLoader(Path jar, URL url, ClassLoader parent) {
        super("plugin:" + jar.getFileName(), new URL[] {url}, parent);
        this.jar = jar;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith(SERVICES) ? findResources(name) : super.getResources(name);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + jar + "]";
    }
}
