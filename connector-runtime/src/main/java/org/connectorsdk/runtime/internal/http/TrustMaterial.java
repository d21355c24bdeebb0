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

    /** The index of keyCertSign in {@link X509Certificate#getKeyUsage()}. */
    private static final int KEY_CERT_SIGN = 5;
    private static final String RENEW = "Give the CA's current certificate in caCertificate; the connector never "
            + "trusts an expired or not yet valid CA";

    private TrustMaterial() {
    }

    /**
     * A TLS context trusting the JDK's CAs and {@code caCertificatePem}.
     *
     * @param caCertificatePem PEM text of one CA certificate, or an {@code env:}/{@code file:}
     *                         reference to it
     * @throws ConnectorException when the PEM is not one currently valid CA certificate
     *                            ({@link #extraCa(String)})
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
            anchors.setCertificateEntry("configured", extraCa(caCertificatePem.get()));
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

    /**
     * The one extra CA of {@code pemOrReference}, checked as a trust anchor must be: exactly one
     * certificate, valid now, with the CA basic constraint and, when it has a key usage, the
     * right to sign certificates. The JDK would accept an expired or non-CA anchor (it checks
     * the leaf and the path, not the anchor itself), so these checks are ours.
     *
     * @throws ConnectorException of kind {@link ErrorKind#TLS} when the certificate is expired or
     *                            not yet valid, {@link ErrorKind#CONFIGURATION} when it is not one
     *                            CA certificate
     */
    static X509Certificate extraCa(String pemOrReference) {
        List<X509Certificate> certificates = parsePem(pemOrReference);
        if (certificates.size() != 1) {
            throw invalidPem("it holds " + certificates.size() + " certificates; give exactly one CA certificate");
        }
        X509Certificate ca = certificates.get(0);
        String subject = ca.getSubjectX500Principal().getName();
        try {
            ca.checkValidity();
        } catch (java.security.cert.CertificateExpiredException e) {
            throw new ConnectorException(ErrorKind.TLS, "The CA certificate (caCertificate) '" + subject
                    + "' expired on " + ca.getNotAfter().toInstant(), RENEW);
        } catch (java.security.cert.CertificateNotYetValidException e) {
            throw new ConnectorException(ErrorKind.TLS, "The CA certificate (caCertificate) '" + subject
                    + "' is not valid before " + ca.getNotBefore().toInstant(), RENEW);
        }
        if (ca.getBasicConstraints() < 0) {
            throw invalidPem("'" + subject + "' is not a CA certificate (no CA basic constraint)");
        }
        boolean[] usage = ca.getKeyUsage();
        if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
            throw invalidPem("'" + subject + "' may not sign certificates (its key usage lacks keyCertSign)");
        }
        return ca;
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
