package org.connectorsdk.runtime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing below the chosen root is written or read through a symbolic link. */
class SecureFilesLinkTest {
    @TempDir
    Path dir;

    @Test
    void aLinkedDirectoryOnTheChainIsRefusedAndNothingLandsInItsTarget() throws Exception {
        Path root = Files.createDirectories(dir.resolve("state"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("cursors"), elsewhere);

        assertThatThrownBy(() -> SecureFiles.writeAtomically(root, root.resolve("cursors/eu.json"), new byte[] {'{', '}'}))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining(root.resolve("cursors") + ": is a symbolic link");
        assertThatThrownBy(() -> SecureFiles.createDirectories(root, root.resolve("cursors/sub")))
                .isInstanceOf(FileSystemException.class);
        try (var listing = Files.list(elsewhere)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void aLinkPlantedAtTheFileIsReplacedNotFollowed() throws Exception {
        Path root = Files.createDirectories(dir.resolve("state"));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Files.createDirectories(root.resolve("runs"));
        Files.createSymbolicLink(root.resolve("runs/eu.json"), victim);

        SecureFiles.writeAtomically(root, root.resolve("runs/eu.json"), "[]".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.isSymbolicLink(root.resolve("runs/eu.json"))).isFalse();
        assertThat(Files.readString(root.resolve("runs/eu.json"))).isEqualTo("[]");
        assertThat(Files.readString(victim)).isEqualTo("untouched");
    }

    @Test
    void aLinkedDocumentIsNotReadAndTheErrorHoldsNoContent() throws Exception {
        Path root = Files.createDirectories(dir.resolve("state"));
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$secret-hash:19000:0:99999:7:::");
        Files.createDirectories(root.resolve("runs"));
        Files.createSymbolicLink(root.resolve("runs/eu.json"), secret);

        assertThatThrownBy(() -> SecureFiles.readOwnFile(root, root.resolve("runs/eu.json"), 1024))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("is a symbolic link")
                .hasMessageNotContaining("root:")
                .hasMessageNotContaining("secret-hash");
        assertThat(SecureFiles.readOwnFile(root, root.resolve("runs/missing.json"), 1024)).isEmpty();
    }
}
