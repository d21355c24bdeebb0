package org.connectorsdk.cortexxdr.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.connectorsdk.cortexxdr.simulator.CortexXdrSimulator;

/**
 * An HTTPS server on 127.0.0.1 that answers every request with the body a test sets (or makes
 * from the request's), status 200 and {@code application/json}. It presents the simulator's test certificate, so a config
 * trusting {@link CortexXdrSimulator#bundledCaCertificatePem()} speaks verified TLS to it.
 */
final class ReplyServer implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;
    private final AtomicReference<UnaryOperator<byte[]>> replies = new AtomicReference<>(request -> new byte[0]);
    private final AtomicInteger requests = new AtomicInteger();

    ReplyServer() {
        this(CortexXdrSimulator.class.getResource("simulator.p12"), "simulator-test-only");
    }

    /** A server presenting the key and certificate of the PKCS12 store at {@code keyStore}. */
    ReplyServer(java.net.URL keyStore, String password) {
        this(keyStore, password, 0);
    }

    /** The same on a given port (0: any free one). */
    ReplyServer(java.net.URL keyStore, String password, int port) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 16);
            server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore, password.toCharArray())));
            executor = Executors.newFixedThreadPool(2, task -> {
                Thread t = new Thread(task, "reply-server");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                byte[] b = replies.get().apply(exchange.getRequestBody().readAllBytes());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                // a fresh connection per reply: a kept-alive one waits on delayed ACKs (~40 ms a request)
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(200, b.length == 0 ? -1 : b.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(b);
                }
            });
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext sslContext(java.net.URL keyStore, char[] password) {
        try (InputStream in = keyStore.openStream()) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void reply(byte[] next) {
        replies.set(request -> next);
    }

    /** Answers each request with what {@code replies} makes of its body. */
    void respond(UnaryOperator<byte[]> replies) {
        this.replies.set(replies);
    }

    int requests() {
        return requests.get();
    }

    String baseUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
