package org.connectorsdk.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.store.postgres.PostgresStore;

import picocli.CommandLine.Option;

/**
 * {@code --store jdbc:postgresql://HOST:PORT/DB}: PostgreSQL as sink and state store. The user and
 * password come from {@code PGUSER}/{@code PGPASSWORD}, or from {@code --store-user} /
 * {@code --store-password} given as {@code env:NAME} or {@code file:PATH}: never as a plain
 * argument, which other users of the machine could read in the process list.
 */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "URL",
            description = "PostgreSQL as sink and state store, jdbc:postgresql://HOST:PORT/DB (user and password "
                    + "from PGUSER/PGPASSWORD, or --store-user/--store-password).")
    String url;

    @Option(names = "--store-user", paramLabel = "REF",
            description = "The database user as env:NAME or file:PATH (default: env:PGUSER).")
    String user;

    @Option(names = "--store-password", paramLabel = "REF",
            description = "The password as env:NAME or file:PATH (default: env:PGPASSWORD, empty when unset).")
    String password;

    /** The environment; a seam for tests. */
    static Map<String, String> environment = System.getenv();

    boolean given() {
        return url != null;
    }

    /** Connects and migrates the schema. */
    PostgresStore open() {
        String u = user == null ? required("PGUSER") : resolve("--store-user", user);
        String p = password == null ? environment.getOrDefault("PGPASSWORD", "") : resolve("--store-password",
                password);
        return PostgresStore.open(url, u, p);
    }

    private static String required(String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new ConnectorException(ErrorKind.CONFIGURATION, "--store needs a database user, and " + variable
                    + " is not set", "Set PGUSER (and PGPASSWORD), or give --store-user env:NAME or file:PATH");
        }
        return value;
    }

    private static String resolve(String option, String reference) {
        if (reference.startsWith("env:")) {
            String name = reference.substring(4);
            String value = environment.get(name);
            if (value == null) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, option + " names the environment variable "
                        + name + ", which is not set", "Set " + name + " or give another env:NAME or file:PATH");
            }
            return value;
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConnectorException(ErrorKind.CONFIGURATION, option + " names the file " + file
                        + ", which cannot be read (" + e.getClass().getSimpleName() + ")",
                        "Give a readable file:PATH holding only the value");
            }
        }
        throw new ConnectorException(ErrorKind.CONFIGURATION, option + " takes a reference, env:NAME or file:PATH, "
                + "never the value itself", "Put the value in an environment variable or a file readable only by you"
                + " and give env:NAME or file:PATH");
    }
}
