package org.connectorsdk.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extra CA of {@code caCertificate} is checked as a trust anchor: the JDK's PKIX checks the
 * leaf and the path, never the anchor's own validity or CA flag. The certificates are made here
 * with the JDK's keytool.
 */
class StrictTrustTest {
    @TempDir
    Path dir;

    /** A self-signed certificate from keytool: {@code extra} are its -startdate/-validity/-ext options. */
    private String selfSigned(String name, String... extra) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        List<String> generate = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-keystore", store.toString(), "-storepass",
                "changeit", "-storetype", "PKCS12"));
        generate.addAll(List.of(extra));
        run(generate);
        Path pem = dir.resolve(name + ".pem");
        run(List.of(keytool(), "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass",
                "changeit", "-file", pem.toString()));
        return Files.readString(pem);
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
    }

    @Test
    void anExpiredSelfSignedCaIsRefusedWithKindTls() throws Exception {
        String pem = selfSigned("Expired-Test-CA", "-startdate", "-2y", "-validity", "30", "-ext", "bc:c",
                "-ext", "ku:c=keyCertSign");

        assertThatThrownBy(() -> TrustMaterial.trustManager(Optional.of(pem)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TLS);
                    assertThat(e.remediation()).isPresent();
                })
                .hasMessageStartingWith("The CA certificate (caCertificate) 'CN=Expired-Test-CA' expired on ");
    }

    @Test
    void aCaThatIsNotYetValidIsRefusedWithKindTls() throws Exception {
        String pem = selfSigned("Future-Test-CA", "-startdate", "+1y", "-ext", "bc:c");

        assertThatThrownBy(() -> TrustMaterial.trustManager(Optional.of(pem)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TLS))
                .hasMessageStartingWith("The CA certificate (caCertificate) 'CN=Future-Test-CA' is not valid before ");
    }

    @Test
    void aLeafWithoutTheCaConstraintOrWithoutKeyCertSignIsNotACa() throws Exception {
        String leaf = selfSigned("Leaf");
        String signsNothing = selfSigned("No-Cert-Sign", "-ext", "bc:c", "-ext", "ku:c=digitalSignature");

        assertThatThrownBy(() -> TrustMaterial.trustManager(Optional.of(leaf)))
                .isInstanceOfSatisfying(ConnectorException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
                .hasMessage("The CA certificate (caCertificate) is not a valid PEM X.509 certificate: 'CN=Leaf' is "
                        + "not a CA certificate (no CA basic constraint)");
        assertThatThrownBy(() -> TrustMaterial.trustManager(Optional.of(signsNothing)))
                .hasMessage("The CA certificate (caCertificate) is not a valid PEM X.509 certificate: 'CN=No-Cert-Sign' "
                        + "may not sign certificates (its key usage lacks keyCertSign)");
    }

    @Test
    void exactlyOneCertificateIsAccepted() throws Exception {
        String ca = selfSigned("Valid-Test-CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign");

        assertThat(TrustMaterial.trustManager(Optional.of(ca)).getAcceptedIssuers())
                .anySatisfy(c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=Valid-Test-CA"));
        assertThatThrownBy(() -> TrustMaterial.trustManager(Optional.of(ca + ca)))
                .hasMessage("The CA certificate (caCertificate) is not a valid PEM X.509 certificate: it holds 2 "
                        + "certificates; give exactly one CA certificate");
    }
}
