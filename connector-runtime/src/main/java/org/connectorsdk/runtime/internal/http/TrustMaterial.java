package org.connectorsdk.runtime.internal.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.connectorsdk.api.ConnectorException;
import org.connectorsdk.api.ErrorKind;
import org.connectorsdk.api.Secret;

/**
 * Builds the TLS context the transport trusts: the JDK's trust store, plus an optional extra CA
 * given as PEM. Both go into one key store read by the JDK's own PKIX trust manager, so the
 * runtime contains no certificate-checking code of its own and nothing that could skip a check.
 */
final class TrustMaterial {
    /** TLS versions offered; anything older is refused. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TrustMaterial() {
    }

    /**
     * A TLS context trusting the JDK's CAs and {@code caCertificatePem}.
     *
     * @param caCertificatePem PEM text (one or more certificates), or an {@code env:}/{@code file:}
     *                         reference to it
     * @throws ConnectorException of kind {@link ErrorKind#CONFIGURATION} when the PEM holds no
     *                            valid certificate
     */
    static SSLContext sslContext(Optional<String> caCertificatePem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(caCertificatePem)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "Cannot set up TLS: " + e,
                    "Check the JVM's security configuration", e);
        }
    }

    /** The JDK's PKIX trust manager over the JDK's CAs plus {@code caCertificatePem}. */
    static X509TrustManager trustManager(Optional<String> caCertificatePem) {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            X509TrustManager jdkTrust = x509(jdk.getTrustManagers());
            if (caCertificatePem.isEmpty()) {
                return jdkTrust;
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate ca : jdkTrust.getAcceptedIssuers()) {
                anchors.setCertificateEntry("jdk-" + n++, ca);
            }
            n = 0;
            for (X509Certificate ca : parsePem(caCertificatePem.get())) {
                anchors.setCertificateEntry("configured-" + n++, ca);
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(anchors);
            return x509(combined.getTrustManagers());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ConnectorException(ErrorKind.INTERNAL, "Cannot set up TLS trust: " + e,
                    "Check the JVM's trust store configuration (javax.net.ssl.trustStore)", e);
        }
    }

    /** TLS 1.2 or later, host name verification on. */
    static SSLParameters sslParameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** The certificates in {@code pem}, which may be given as an {@code env:}/{@code file:} reference. */
    static List<X509Certificate> parsePem(String pemOrReference) {
        String pem = Secret.resolveReference("caCertificate", pemOrReference.strip());
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.cert.CertificateException e) {
            throw invalidPem("it cannot be parsed (" + e.getMessage() + ")");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate x509) {
                out.add(x509);
            }
        }
        if (out.isEmpty()) {
            throw invalidPem("it contains no certificate");
        }
        return out;
    }

    private static ConnectorException invalidPem(String why) {
        return new ConnectorException(ErrorKind.CONFIGURATION,
                "The CA certificate (caCertificate) is not a valid PEM X.509 certificate: " + why,
                "Give the CA certificate in PEM form, starting with -----BEGIN CERTIFICATE-----, inline or as file:PATH");
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The JDK offers no X.509 trust manager");
    }
}
