package org.connectorsdk.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the files under a directory (a sink's output, a state store): every regular
 * file is walked, at any depth. Secrets are never printed: a failure names the file and line,
 * with the secret replaced by {@code <secret #n>}.
 */
public final class FilesAssert extends AbstractAssert<FilesAssert, Path> {

    FilesAssert(Path actual) {
        super(actual, FilesAssert.class);
    }

    /** No file under the directory contains any of {@code secrets} (as UTF-8 text). */
    public FilesAssert containNoSecret(String... secrets) {
        isDirectory();
        List<String> wanted = SecretText.check(secrets);
        List<String> hits = new ArrayList<>();
        List<Path> files = files();
        for (Path file : files) {
            String text;
            try {
                text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                List<Integer> found = SecretText.found(lines[i], wanted);
                if (!found.isEmpty()) {
                    hits.add(actual.relativize(file) + " line " + (i + 1) + " holds secret #" + found.get(0) + ": "
                            + SecretText.masked(lines[i], wanted));
                }
            }
        }
        if (!hits.isEmpty()) {
            failWithMessage("%s", "Expected no secret in the " + files.size() + " file(s) under " + actual + " but "
                    + String.join(" | ", hits.subList(0, Math.min(5, hits.size()))));
        }
        return this;
    }

    /** There is no regular file under the directory (a directory that does not exist counts as empty). */
    public FilesAssert hasNoFiles() {
        isNotNull();
        if (Files.exists(actual)) {
            List<Path> files = files();
            if (!files.isEmpty()) {
                failWithMessage("%s", "Expected no files under " + actual + " but found " + files.size() + ": "
                        + files.stream().limit(10).map(f -> actual.relativize(f).toString()).toList());
            }
        }
        return this;
    }

    /** A regular file exists at {@code relative}. */
    public FilesAssert containsFile(String relative) {
        isDirectory();
        if (!Files.isRegularFile(actual.resolve(relative))) {
            failWithMessage("%s", "Expected a file " + relative + " under " + actual + " but found "
                    + files().stream().limit(20).map(f -> actual.relativize(f).toString()).toList());
        }
        return this;
    }

    private void isDirectory() {
        isNotNull();
        if (!Files.isDirectory(actual)) {
            failWithMessage("%s", "Expected a directory at " + actual + " but "
                    + (Files.exists(actual) ? "it is a file" : "nothing is there"));
        }
    }

    private List<Path> files() {
        try (Stream<Path> walk = Files.walk(actual)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot walk " + actual, e);
        }
    }
}
