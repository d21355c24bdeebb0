package org.connectorsdk.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;

/**
 * Checks a directory a command writes to ({@code --out}, {@code --state}) before any work is
 * done: an output directory that is a file or read-only would otherwise be found only after
 * the checks ran and every record was read.
 */
final class WorkDirectory {
    private WorkDirectory() {
    }

    /**
     * Makes sure {@code dir} is a directory this process can create files in, creating it
     * (owner-only) when absent.
     *
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} naming {@code option}
     */
    static void prepare(String option, Path dir) {
        try {
            if (!Files.exists(dir)) {
                if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            if (!Files.isDirectory(dir)) {
                throw unusable(option, dir, "is not a directory");
            }
            // a probe, not Files.isWritable: that misses immutable directories and read-only mounts
            Path probe = dir.resolve(".connectors-write-check-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.createFile(probe);
            Files.delete(probe);
        } catch (FileSystemException e) {
            throw unusable(option, dir, "cannot be written (" + e.getClass().getSimpleName()
                    + (e.getReason() == null ? "" : ": " + e.getReason()) + ")");
        } catch (IOException e) {
            throw unusable(option, dir, "cannot be written (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ConnectorException unusable(String option, Path dir, String what) {
        return new ConnectorException(ErrorKind.CONFIGURATION, option + " " + dir + " " + what,
                "Give " + option + " a directory this user may write, or a path where one can be created");
    }
}
