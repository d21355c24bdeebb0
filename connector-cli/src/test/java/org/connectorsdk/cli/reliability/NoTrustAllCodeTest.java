package org.connectorsdk.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No code anywhere in the project switches TLS verification off or follows redirects: a scan
 * of every module's Java sources (main and test) for trust managers of its own, host name
 * verifiers, the JDK's switch that skips host name checks, old protocol versions and redirect
 * following. The runtime's one mention of the JDK switch is the check that refuses it.
 */
class NoTrustAllCodeTest {
    /** Forbidden anywhere, main or test. */
    static final List<Pattern> ANYWHERE = List.of(
            Pattern.compile("implements\\s[^{]*\\b(X509)?(Extended)?TrustManager\\b"),
            Pattern.compile("new\\s+(X509|X509Extended)TrustManager\\s*\\("),
            Pattern.compile("\\bHostnameVerifier\\b"),
            Pattern.compile("setEndpointIdentificationAlgorithm\\s*\\(\\s*(null|\"\")\\s*\\)"),
            Pattern.compile("(?i)trust_?all|insecure_?trust|NoopHostname|ALLOW_ALL_HOSTNAME"),
            Pattern.compile("HttpsURLConnection\\s*\\.\\s*setDefault"));

    /** Forbidden in main sources. */
    static final List<Pattern> IN_MAIN = List.of(
            Pattern.compile("disableHostnameVerification"),
            Pattern.compile("\"(SSLv3|TLSv1|TLSv1\\.1)\""),
            Pattern.compile("Redirect\\s*\\.\\s*(ALWAYS|NORMAL)"),
            Pattern.compile("followRedirects\\s*\\(\\s*true"));

    /** The runtime's refusal of the JDK switch: the one line allowed to name it. */
    static final String REFUSAL =
            "static final String JDK_HOSTNAME_SWITCH = \"jdk.internal.httpclient.disableHostnameVerification\";";

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.isDirectory(here.resolve("connector-api")) ? here : here.getParent();
        assertThat(root.resolve("connector-api")).as("the reactor root from " + here).isDirectory();
        return root;
    }

    @Test
    void noSourceSwitchesTlsVerificationOffOrFollowsRedirects() throws IOException {
        List<String> hits = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/")).toList()) {
                if (f.getFileName().toString().equals("NoTrustAllCodeTest.java")) {
                    continue;
                }
                scanned++;
                boolean main = f.toString().contains("/src/main/");
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    for (Pattern p : ANYWHERE) {
                        if (p.matcher(line).find()) {
                            hits.add(f + ":" + (i + 1) + ": " + line.strip());
                        }
                    }
                    if (main && !line.strip().equals(REFUSAL)) {
                        for (Pattern p : IN_MAIN) {
                            if (p.matcher(line).find()) {
                                hits.add(f + ":" + (i + 1) + ": " + line.strip());
                            }
                        }
                    }
                }
            }
        }
        assertThat(scanned).as("Java sources scanned").isGreaterThan(100);
        assertThat(hits).isEmpty();
    }

    @Test
    void theRuntimeStillRefusesTheJdkSwitchAndNeverFollowsRedirects() throws IOException {
        Path runtime = root().resolve("connector-runtime/src/main/java/org/connectorsdk/runtime/internal/http");
        String factory = Files.readString(runtime.resolve("HttpTransportFactory.java"));
        assertThat(factory).contains(REFUSAL).contains("if (Boolean.getBoolean(JDK_HOSTNAME_SWITCH)) {")
                .contains(".followRedirects(HttpClient.Redirect.NEVER)");
        String trust = Files.readString(runtime.resolve("TrustMaterial.java"));
        assertThat(trust).contains("List.of(\"TLSv1.3\", \"TLSv1.2\")").contains("setEndpointIdentificationAlgorithm(\"HTTPS\")");
    }
}
