package org.connectorsdk.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import org.connectorsdk.api.host.ConnectorState;
import org.connectorsdk.api.host.RunSummary;
import org.connectorsdk.api.host.StreamChanges;
import org.connectorsdk.api.host.StreamStats;
import org.connectorsdk.runtime.ConnectorRuntime;

/** How {@code sync} and {@code demo} show a run: progress while it goes, a summary at the end. */
final class RunReport {
    private RunReport() {
    }

    /**
     * One line per stream the instance's next run reads in full because an update widened or
     * added it: "tenant: stream incidents: read in full (the incidentSeverityFilter was removed)".
     */
    static void resets(PrintWriter out, ConnectorRuntime runtime, String instance) {
        runtime.cursorResets(instance).forEach((stream, why) -> out.println(instance + ": stream " + stream
                + ": read in full (" + why + ")"));
        out.flush();
    }

    /**
     * Prints {@code summary}, each stream with the change counts the sink made when it counts them;
     * {@code published} says where the run went (its directory, or the database).
     */
    static void print(PrintWriter out, RunSummary s, String published) {
        out.printf(Locale.ROOT, "Run %s of %s (%s): %s in %s%n", s.runId(), s.instance(), s.connectorId(),
                s.state() + s.error().map(e -> " (" + e.kind() + ")").orElse(""), seconds(s.duration()));
        for (Map.Entry<String, StreamStats> e : s.streams().entrySet()) {
            StreamStats st = e.getValue();
            String read = st.pages() == 0 && st.read() == 0 && st.changes().isPresent()
                    ? String.format(Locale.ROOT, "%,d reported", reported(st.changes().get()))
                    : String.format(Locale.ROOT, "%,d read, %,d written, %,d rejected, %,d pages", st.read(),
                            st.written(), st.rejected(), st.pages());
            out.printf(Locale.ROOT, "  %-10s %s%s%n", e.getKey() + ":", read,
                    st.changes().map(c -> changes(e.getKey(), c)).orElse(""));
            for (String example : st.rejectionExamples()) {
                out.println("    rejected: " + example);
            }
        }
        out.printf(Locale.ROOT, "  http:      %,d requests, %,d retries, %s received%n", s.counter("http.requests"),
                s.counter("http.retries"), bytes(s.counter("http.bytes")));
        String others = s.counters().entrySet().stream().filter(c -> !c.getKey().startsWith("http."))
                .sorted(Map.Entry.comparingByKey())
                .map(c -> c.getKey() + " " + String.format(Locale.ROOT, "%,d", c.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
        if (!others.isEmpty()) {
            out.println("  counters:  " + others);
        }
        s.error().ifPresent(e -> {
            out.println("  error:     " + e.message());
            e.remediation().ifPresent(r -> out.println("  fix:       " + r));
        });
        if (s.state() == ConnectorState.PROCESSED && published != null) {
            out.println("  output:    " + published);
        } else {
            out.println("  output:    nothing published");
        }
        out.flush();
    }

    /** A derived part (the findings of the assets) was reported, not read: new, updated, unchanged or back. */
    private static long reported(StreamChanges c) {
        return c.added() + c.updated() + c.unchanged() + c.reopened();
    }

    /** "; 2 new, 0 updated, 6,388 unchanged, 10 fixed, 0 reopened" for findings, with gone for the rest. */
    static String changes(String stream, StreamChanges c) {
        String counts = String.format(Locale.ROOT, "; %,d new, %,d updated, %,d unchanged", c.added(), c.updated(),
                c.unchanged());
        return "findings".equals(stream)
                ? counts + String.format(Locale.ROOT, ", %,d fixed, %,d reopened", c.fixed(), c.reopened())
                : counts + String.format(Locale.ROOT, ", %,d gone", c.gone());
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    /**
     * Progress on stderr: a line redrawn in place on a terminal, or a plain line every few
     * seconds when stderr is a file or a pipe (logs stay readable).
     */
    static final class Progress {
        private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

        private final PrintWriter err;
        private final boolean terminal;
        private final long start = System.nanoTime();
        private long lastPlain = System.nanoTime();
        private boolean drawn;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        synchronized void onPage(ConnectorRuntime.Progress p) {
            long now = System.nanoTime();
            String line = line(p, Duration.ofNanos(now - start));
            if (terminal) {
                err.print("\r" + line + "\u001b[K");
                err.flush();
                drawn = true;
            } else if (now - lastPlain >= PLAIN_EVERY_NANOS) {
                err.println(line);
                err.flush();
                lastPlain = now;
            }
        }

        /** Ends the redrawn line so the summary starts on its own. */
        synchronized void finish() {
            if (drawn) {
                err.println();
                err.flush();
            }
        }

        static String line(ConnectorRuntime.Progress p, Duration elapsed) {
            double secs = Math.max(elapsed.toMillis(), 1) / 1000.0;
            double rate = p.records() / secs;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %s: page %,d, %,d", p.instance(),
                    p.stream(), p.pages(), p.records()));
            OptionalLong total = p.totalCount();
            if (total.isPresent()) {
                sb.append(String.format(Locale.ROOT, "/%,d records", total.getAsLong()));
            } else {
                sb.append(" records");
            }
            sb.append(String.format(Locale.ROOT, ", %.0f records/s", rate));
            if (total.isPresent() && rate > 0 && total.getAsLong() >= p.records()) {
                long eta = Math.round((total.getAsLong() - p.records()) / rate);
                sb.append(", ETA ").append(eta).append(" s");
            }
            return sb.toString();
        }
    }
}
