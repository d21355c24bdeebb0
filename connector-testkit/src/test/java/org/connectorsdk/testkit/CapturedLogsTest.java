package org.connectorsdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class CapturedLogsTest {
    private static final Logger LOG = LoggerFactory.getLogger("org.connectorsdk.testkit.CapturedLogsTest");

    @Test
    void capturesEveryLevelFromEveryThreadWhileOpen() throws Exception {
        LOG.info("before the capture");
        CapturedLogs logs = CapturedLogs.start();
        LOG.debug("page {} of {}", 2, 5);
        LOG.trace("fine detail");
        ExecutorService worker = Executors.newSingleThreadExecutor();
        worker.submit(() -> LOG.warn("from a worker", new IllegalStateException("boom"))).get();
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        logs.close();
        LOG.info("after the capture");

        assertThat(logs.events()).extracting(LogEvent::level).containsExactly("DEBUG", "TRACE", "WARN");
        assertThat(logs.lines().get(0)).isEqualTo("DEBUG org.connectorsdk.testkit.CapturedLogsTest - page 2 of 5");
        assertThat(logs.events().get(2).throwable()).hasValueSatisfying(t -> assertThat(t)
                .startsWith("java.lang.IllegalStateException: boom"));
        assertThat(logs.text()).doesNotContain("before the capture", "after the capture");
    }

    @Test
    void twoCapturesSeeTheSameEvents() {
        try (CapturedLogs outer = CapturedLogs.start()) {
            LOG.info("one");
            try (CapturedLogs inner = CapturedLogs.start()) {
                LOG.info("two");
                assertThat(inner.lines()).containsExactly("INFO org.connectorsdk.testkit.CapturedLogsTest - two");
            }
            assertThat(outer.events()).hasSize(2);
        }
    }

    @Test
    void theTestkitIsTheBoundProvider() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(TestKitLogProvider.Factory.class);
        assertThatThrownBy(() -> CapturedLogs.of(java.util.List.of()).events().add(null))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
