package org.connectorsdk.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** The committed test certificates (see src/test/resources/tls/README.md) and small servers using them. */
public final class TestTls {
    public static final String PASSWORD = "changeit";

    private TestTls() {
    }

    public static String caPem() {
        return text("tls/ca.pem");
    }

    /** The absolute path of a key store under tls/, for WireMock. */
    public static String keyStorePath(String name) {
        try {
            return java.nio.file.Path.of(TestTls.class.getClassLoader().getResource("tls/" + name + ".p12").toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String resource) {
        try (InputStream in = TestTls.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on (bound, then released). */
    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A TLS server on 127.0.0.1 presenting the key store {@code name}; it completes (or fails)
     * the handshake of every connection and closes it.
     */
    public static final class Server implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread thread;

        public Server(String keyStore) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = TestTls.class.getClassLoader().getResourceAsStream("tls/" + keyStore + ".p12")) {
                store.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::serve, "test-tls-" + keyStore);
            thread.setDaemon(true);
            thread.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(5_000);
                    ((SSLSocket) client).startHandshake();
                } catch (IOException e) {
                    // the client rejected our certificate, or we were closed: next one
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A plain TCP server that answers every connection with an HTTP error page, not TLS. */
    public static final class PlainServer implements AutoCloseable {
        private final ServerSocket socket;

        public PlainServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket client = socket.accept()) {
                        client.getOutputStream().write(
                                "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                        .getBytes(StandardCharsets.US_ASCII));
                        client.getOutputStream().flush();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "test-plain");
            thread.setDaemon(true);
            thread.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
