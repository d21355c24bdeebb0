package org.connectorsdk.runtime.internal.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * File helpers for what the runtime writes: owner-only permissions (0700 directories, 0600
 * files on POSIX file systems) and atomic replacement (temp file, fsync, rename), because run
 * output and state may name internal hosts and must survive a crash mid-write.
 *
 * <p>Below the root the operator chose ({@code --out}, {@code --state}), nothing is written or
 * read through a symbolic link: a link planted there could send a run or a state document to
 * any place this process may write, or make an error message print a file it never wrote.
 * The root itself may be a link; files are created with {@code CREATE_NEW} and
 * {@code NOFOLLOW_LINKS}, and every directory of the chain is checked without following links.
 */
public final class SecureFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    /** Suffix of files being written; readers ignore them. */
    public static final String TEMP_SUFFIX = ".tmp";

    private SecureFiles() {
    }

    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Creates {@code dir} and missing parents; the directories it creates are owner-only. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            if (posix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Creates {@code dir} below {@code root} and the missing directories between them,
     * owner-only, and checks that none of them, existing or new, is a symbolic link.
     *
     * @throws FileSystemException naming the link when one is found
     */
    public static void createDirectories(Path root, Path dir) throws IOException {
        createDirectories(root);
        Path base = root.toAbsolutePath().normalize();
        Path current = base;
        for (Path name : base.relativize(dir.toAbsolutePath().normalize())) {
            current = current.resolve(name);
            requireNotLink(root, current);
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    if (posix(current)) {
                        Files.createDirectory(current, PosixFilePermissions.asFileAttribute(DIR));
                    } else {
                        Files.createDirectory(current);
                    }
                } catch (FileAlreadyExistsException e) {
                    requireNotLink(root, current);
                    if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                        throw new FileSystemException(current.toString(), null, "is not a directory");
                    }
                }
            }
        }
    }

    private static void requireNotLink(Path root, Path path) throws FileSystemException {
        if (Files.isSymbolicLink(path)) {
            throw new FileSystemException(path.toString(), null, "is a symbolic link; nothing under " + root
                    + " is written or read through a link (remove it)");
        }
    }

    /**
     * The bytes of {@code file} below {@code root}, read without following a link at any
     * directory of the chain or at the file, regular files of at most {@code maxBytes} only;
     * empty when it does not exist.
     */
    public static Optional<byte[]> readOwnFile(Path root, Path file, int maxBytes) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path current = base;
        for (Path name : base.relativize(file.toAbsolutePath().normalize())) {
            current = current.resolve(name);
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            requireNotLink(root, current);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(file.toString(), null, "is not a regular file");
        }
        try (var in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = Channels.newInputStream(in).readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new FileSystemException(file.toString(), null, "is larger than " + maxBytes + " bytes");
            }
            return Optional.of(bytes);
        }
    }

    /** Creates a new, empty owner-only file (never through a link) and opens it for writing. */
    public static OutputStream newFile(Path file) throws IOException {
        FileAttribute<?>[] attrs = posix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        return Channels.newOutputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attrs));
    }

    /**
     * Replaces {@code target}, a file below {@code root}, with {@code bytes}: a crash leaves
     * either the old or the new content; a link at {@code target} is replaced, never followed.
     */
    public static void writeAtomically(Path root, Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(root, dir);
        Path temp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
        try {
            try (OutputStream out = newFile(temp)) {
                out.write(bytes);
            }
            fsync(temp);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        }
    }

    /** An atomic rename; on a file system that cannot, a plain replacing move. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code path} and everything under it; absent is fine. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
