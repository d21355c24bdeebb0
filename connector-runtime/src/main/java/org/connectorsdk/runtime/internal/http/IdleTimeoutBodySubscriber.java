package org.connectorsdk.runtime.internal.http;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A streamed response body as an {@link InputStream} whose reads fail once the server has sent
 * no byte for the idle timeout. The JDK applies the request timeout to the headers only, so a
 * body that stalls (or dribbles nothing for minutes) would otherwise hold a run open for ever.
 *
 * <p>Demand is one list of buffers ahead of the reader, so memory stays bounded whatever the
 * body's size. The idle time is measured on {@link System#nanoTime()}, which a wall-clock step
 * cannot move; {@link InputStream#close()} (from the reader or a cancellation hook) cancels the
 * subscription and ends a blocked read within {@value #SLICE_MILLIS} ms.
 */
final class IdleTimeoutBodySubscriber implements HttpResponse.BodySubscriber<InputStream> {
    private static final long SLICE_MILLIS = 50;
    private static final Object END = new Object();

    private final Duration idleTimeout;
    private final String target;
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private final Body body = new Body();

    /**
     * @param idleTimeout the longest wait for the next byte
     * @param target      the request as named in messages, e.g. {@code POST /public_api/v1/xql/...}
     */
    IdleTimeoutBodySubscriber(Duration idleTimeout, String target) {
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.target = requireNonNull(target, "target is null");
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(body);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.complete(s) || body.closed) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        arrived.add(throwable);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    private final class Body extends InputStream {
        private volatile boolean closed;
        private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
        private ByteBuffer current;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            while (current == null || !current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (ended || !nextBuffers()) {
                    return -1;
                }
            }
            int n = Math.min(length, current.remaining());
            current.get(into, offset, n);
            return n;
        }

        /** Waits for the next list of buffers; false at the end of the body. */
        @SuppressWarnings("unchecked")
        private boolean nextBuffers() throws IOException {
            long deadline = System.nanoTime() + idleTimeout.toNanos();
            Object item;
            try {
                while ((item = arrived.poll(SLICE_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                    if (closed) {
                        throw new IOException("the response body of " + target + " was closed");
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        close();
                        throw new HttpTimeoutException("no byte of the response body of " + target + " arrived within "
                                + idleTimeout.toMillis() + " ms (the request timeout)");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while reading the response body of " + target, e);
            }
            if (item == END) {
                ended = true;
                return false;
            }
            if (item instanceof Throwable t) {
                ended = true;
                throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
            }
            buffers = ((List<ByteBuffer>) item).iterator();
            subscription.join().request(1);
            return true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                subscription.thenAccept(Flow.Subscription::cancel);
                arrived.clear();
            }
        }
    }
}
