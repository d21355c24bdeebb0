package org.connectorsdk.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/** One {@code java -jar connectors.jar ...} child process, its output collected as it comes. */
final class CliProcess {
    static final Path JAR = Path.of("target", "connectors.jar");

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread[] pumps;

    private CliProcess(Process process) {
        this.process = process;
        this.pumps = new Thread[] {pump(process.getInputStream(), out), pump(process.getErrorStream(), err)};
    }

    static CliProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new CliProcess(new ProcessBuilder(command).start());
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException e) {
                // the child was killed: its pipe broke
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    BooleanSupplier printed(Pattern line) {
        return () -> line.matcher(err).find();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end within " + limit + "; stderr:\n" + err);
        }
        drain();
        return process.exitValue();
    }

    /** SIGKILL now; true when the child was still running. */
    boolean kill() throws InterruptedException {
        boolean alive = process.isAlive();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        drain();
        return alive;
    }

    /** SIGKILL as soon as {@code condition} holds; true when the child was still running. */
    boolean killWhen(BooleanSupplier condition, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean() && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1); // real process: poll its output and the tenant's request count
        }
        assertThat(condition.getAsBoolean()).as("the child reached the phase '%s'; stderr:\n%s", phase, err)
                .isTrue();
        return kill();
    }

    int exitValue() {
        return process.exitValue();
    }

    private void drain() throws InterruptedException {
        for (Thread t : pumps) {
            t.join(10_000);
        }
    }
}
