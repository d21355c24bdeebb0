package org.connectorsdk.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a file that configuration refers to (a key, a CA certificate, an instance file) with
 * limits, so a reference to {@code /dev/zero}, a FIFO or a huge file is bad input instead of an
 * out-of-memory error or a hang: regular files only, at most a given size, within
 * {@value #TIMEOUT_SECONDS} seconds.
 *
 * <pre>{@code
 * String pem = FileReference.read("Config field 'caCertificate' refers to file " + path + ", which", path,
 *         FileReference.MAX_SECRET_BYTES);
 * }</pre>
 */
public final class FileReference {
    /** The largest key or PEM file read: 64 KiB. */
    public static final int MAX_SECRET_BYTES = 64 * 1024;
    /** The largest instance file read: 1 MiB. */
    public static final int MAX_INSTANCE_BYTES = 1024 * 1024;
    /** How long one read may take before it is given up. */
    public static final int TIMEOUT_SECONDS = 10;

    private FileReference() {
    }

    /**
     * The UTF-8 text of {@code path}.
     *
     * @param subject  the start of every message, followed by a verb ("does not exist"), e.g.
     *                 "Instance file /etc/x.json" or "Config field 'apiKey' refers to file /run/key, which"
     * @param maxBytes the largest size accepted
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the file is missing,
     *                            not a regular file, larger than {@code maxBytes}, unreadable or
     *                            too slow to read; the message never holds the content
     */
    public static String read(String subject, Path path, int maxBytes) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw refused(subject, "does not exist", "Check the path " + path);
        } catch (IOException e) {
            throw refused(subject, "cannot be read (" + e.getClass().getSimpleName() + ")",
                    "Check that " + path + " is readable by this process");
        }
        if (!attributes.isRegularFile()) {
            throw refused(subject, "is not a regular file (a directory, device or FIFO)",
                    "Point it at a regular file");
        }
        if (attributes.size() > maxBytes) {
            throw tooLarge(subject, maxBytes);
        }
        FutureTask<byte[]> read = new FutureTask<>(() -> readAtMost(path, maxBytes + 1));
        Thread reader = new Thread(read, "connector-file-read");
        reader.setDaemon(true);
        reader.start();
        byte[] bytes;
        try {
            bytes = read.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw refused(subject, "could not be read within " + TIMEOUT_SECONDS + " s",
                    "Point it at a regular file on a local disk");
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw refused(subject, "was not read: the read was interrupted", "Try again");
        } catch (ExecutionException e) {
            throw refused(subject, "cannot be read (" + e.getCause().getClass().getSimpleName() + ")",
                    "Check that " + path + " is readable by this process");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(subject, maxBytes);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readAtMost(Path path, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(limit);
        }
    }

    private static ConnectorException tooLarge(String subject, int maxBytes) {
        return refused(subject, "is larger than " + maxBytes / 1024 + " KiB",
                "Point it at the file that holds just the value");
    }

    private static ConnectorException refused(String subject, String what, String remediation) {
        return new ConnectorException(ErrorKind.CONFIGURATION, subject + " " + what, remediation);
    }
}
