package org.connectorsdk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
    private static final String VALUE = "s3cr3t-key-value";

    @Test
    void printsAsHiddenEverywhere() {
        Secret secret = Secret.of("apiKey", VALUE);

        assertThat(secret.toString()).isEqualTo("[hidden]");
        assertThat("key=" + secret).isEqualTo("key=[hidden]");
        assertThat(String.format("%s", secret)).isEqualTo("[hidden]");
        assertThat(new StringBuilder().append(secret).toString()).isEqualTo("[hidden]");
        assertThat(String.valueOf(secret)).isEqualTo("[hidden]");
        assertThat(Map.of("apiKey", secret).toString()).isEqualTo("{apiKey=[hidden]}");
        assertThat(secret.length()).isEqualTo("[hidden]".length());
        assertThat(secret.reveal()).isEqualTo(VALUE);
    }

    @Test
    void connectorConfigNeverShowsTheSecret() {
        ConnectorConfig config = ConfigSpecTest.SPEC.bind(ConfigSpecTest.validConfig());

        assertThat(config.toString()).contains("apiKey=[hidden]").doesNotContain(VALUE);
        assertThat(config.values().toString()).doesNotContain(VALUE);
        // an inline secret is never stored; only references are
        assertThat(config.storableValues()).doesNotContainKey("apiKey");
        assertThat(config.storableValues().toString()).doesNotContain(VALUE);
    }

    @Test
    void referencesAreStoredAsReferences() {
        var raw = ConfigSpecTest.validConfig();
        raw.put("apiKey", "env:CORTEX_XDR_API_KEY");
        ConnectorConfig config = ConfigSpecTest.SPEC.bind(raw);

        assertThat(config.secret("apiKey").reference()).contains("env:CORTEX_XDR_API_KEY");
        assertThat(config.storableValues()).containsEntry("apiKey", "env:CORTEX_XDR_API_KEY");
        assertThat(Secret.of("apiKey", VALUE).reference()).isEmpty();
    }

    @Test
    void environmentReferenceResolvesAtUse() {
        String path = System.getenv("PATH");
        assertThat(path).as("PATH is set in every test environment").isNotEmpty();

        assertThat(Secret.of("apiKey", "env:PATH").reveal()).isEqualTo(path);
    }

    @Test
    void missingEnvironmentVariableIsNamed() {
        Secret secret = Secret.of("apiKey", "env:CONNECTORSDK_TEST_SURELY_UNSET_4711");
        // creating the secret does not resolve it; using it does
        assertThat(secret.toString()).isEqualTo("[hidden]");

        assertThatThrownBy(secret::reveal)
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.remediation()).contains("Set the environment variable "
                            + "CONNECTORSDK_TEST_SURELY_UNSET_4711 before starting, or give the value another way");
                })
                .hasMessage("Config field 'apiKey' refers to environment variable "
                        + "CONNECTORSDK_TEST_SURELY_UNSET_4711, which is not set");
    }

    @Test
    void fileReferenceResolvesAtUseTrimmed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api-key.txt");
        Secret secret = Secret.of("apiKey", "file:" + file);
        Files.writeString(file, VALUE + "\n");

        assertThat(secret.reveal()).isEqualTo(VALUE);

        Files.writeString(file, "rotated\n");
        assertThat(secret.reveal()).as("read at each use, so a rotated key is picked up").isEqualTo("rotated");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("missing.txt");

        assertThatThrownBy(() -> Secret.of("apiKey", "file:" + file).reveal())
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessage("Config field 'apiKey' refers to file " + file + ", which does not exist");
    }

    @Test
    void aDeviceAFifoAndAHugeFileAreRefusedWithoutReadingThem(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("key.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Path sparse = dir.resolve("huge.key");
        try (var file = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024); // 100 MB, sparse: no disk used
        }

        for (Path bad : new Path[] {Path.of("/dev/zero"), fifo, dir}) {
            assertThatThrownBy(() -> Secret.of("apiKey", "file:" + bad).reveal())
                    .isInstanceOfSatisfying(ConnectorException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                    .hasMessage("Config field 'apiKey' refers to file " + bad
                            + ", which is not a regular file (a directory, device or FIFO)");
        }
        assertThatThrownBy(() -> Secret.of("apiKey", "file:" + sparse).reveal())
                .hasMessage("Config field 'apiKey' refers to file " + sparse + ", which is larger than 64 KiB");
    }

    @Test
    void aControlCharacterInAKeyIsBadInputAndTheKeyIsNotRepeated(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "first-half\r\nX-Injected: yes");

        assertThatThrownBy(() -> Secret.of("apiKey", "file:" + file).reveal())
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessage("Config field 'apiKey' (file:" + file + ") holds a control character (such as a line "
                        + "break) at position 11");
    }

    @Test
    void emptyFileIsNamed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("empty.txt"), "  \n");

        assertThatThrownBy(() -> Secret.of("apiKey", "file:" + file).reveal())
                .hasMessage("Config field 'apiKey' refers to file " + file + ", which is empty");
    }

    @Test
    void hasNoBeanGetterThatCouldExposeTheValue() {
        // serializers that use bean getters (Jackson) or fields must find nothing but the mask
        for (var method : Secret.class.getMethods()) {
            String name = method.getName();
            boolean getter = method.getParameterCount() == 0
                    && (name.startsWith("get") && name.length() > 3 || name.startsWith("is") && name.length() > 2);
            if (getter && method.getDeclaringClass() != Object.class) {
                assertThat(name).as("bean getter on Secret").isEqualTo("isEmpty");
            }
        }
        for (var field : Secret.class.getDeclaredFields()) {
            if (field.getName().equals("raw")) {
                assertThat(java.lang.reflect.Modifier.isTransient(field.getModifiers())).isTrue();
            }
        }
    }
}
