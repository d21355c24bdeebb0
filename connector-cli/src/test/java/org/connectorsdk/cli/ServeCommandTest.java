package org.connectorsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    private static final String TOKEN = "serve-test-token-5a4b3c2d1e0f";

    @TempDir
    Path dir;

    @AfterEach
    void restoreStopSignals() {
        RunCommand.stopSignals = RunCommand.JvmShutdown::new;
    }

    @Test
    void servePrintsWhereItListensAnswersWithTheTokenAndStopsCleanly() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger(-1);
        RunCommand.stopSignals = grace -> new RunCommand.StopSignal() {
            @Override
            public void await() throws InterruptedException {
                stop.await();
            }

            @Override
            public void finished(int code) {
                exit.set(code);
            }
        };
        PipedOut out = new PipedOut();
        Thread serve = new Thread(() -> ConnectorsCli.run(new String[] {"serve", "--state", dir.resolve("state")
                .toString(), "--out", dir.resolve("out").toString(), "--token-file", tokenFile.toString(), "--port", "0"},
                out.writer, new PrintWriter(new ByteArrayOutputStream(), true)));
        serve.start();
        URI uri = out.awaitListening();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> instances = http.send(HttpRequest.newBuilder(uri.resolve("/api/v1/instances"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(instances.statusCode()).isEqualTo(200);
        assertThat(instances.body()).isEqualTo("[]");
        assertThat(http.send(HttpRequest.newBuilder(uri.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        stop.countDown();
        serve.join(Duration.ofSeconds(60).toMillis());
        assertThat(exit.get()).isEqualTo(ConnectorsCli.EXIT_OK);
    }

    @Test
    void aShortTokenIsBadInput() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "short");
        ConnectorsCliTest.Result result = ConnectorsCliTest.run("serve", "--state", dir.resolve("state").toString(),
                "--out", dir.resolve("out").toString(), "--token-file", tokenFile.toString(), "--port", "0");
        assertThat(result.code()).isEqualTo(ConnectorsCli.EXIT_USAGE);
        assertThat(result.err()).contains("Token file " + tokenFile + " holds a token shorter than 16 characters");
    }

    /** Stdout of the command, watched for its "listening on" line. */
    private static final class PipedOut {
        private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintWriter writer = new PrintWriter(bytes, true, StandardCharsets.UTF_8);

        URI awaitListening() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m;
                synchronized (bytes) {
                    m = LISTENING.matcher(bytes.toString(StandardCharsets.UTF_8));
                }
                if (m.find()) {
                    return URI.create(m.group(1));
                }
                // the server starts on the real clock in another thread: nothing to fake here
                Thread.sleep(50);
            }
            throw new AssertionError("serve never printed 'listening on': " + bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
