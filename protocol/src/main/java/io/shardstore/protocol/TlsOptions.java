package io.shardstore.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * TLS as mongod's options say it: {@code --tlsMode} (disabled, allowTLS: both accepted, this process's own
 * connections plain; preferTLS: both accepted, its own connections TLS; requireTLS: TLS only, both ways),
 * {@code --tlsCertificateKeyFile} (one PEM file: the certificate chain and its PKCS#8 private key),
 * {@code --tlsCAFile} (the CA that signed the other processes' certificates, for this process's own connections) and
 * {@code --tlsAllowInvalidCertificates} (no check of the peer's certificate: tests only). Clients are not asked for a
 * certificate (as mongod with allowConnectionsWithoutCertificates): they log in with SCRAM.
 */
public record TlsOptions(Mode mode, Path certificateKeyFile, Path caFile, boolean allowInvalidCertificates) {

    public enum Mode { disabled, allowTLS, preferTLS, requireTLS }

    public static final TlsOptions DISABLED = new TlsOptions(Mode.disabled, null, null, false);

    public TlsOptions {
        if (mode != Mode.disabled && certificateKeyFile == null) {
            throw new IllegalArgumentException("need tlsCertificateKeyFile or certificateSelector when TLS is enabled");
        }
    }

    public boolean enabled() {
        return mode != Mode.disabled;
    }

    /** Whether clients without TLS are accepted too (allowTLS, preferTLS). */
    public boolean plainAccepted() {
        return mode == Mode.disabled || mode == Mode.allowTLS || mode == Mode.preferTLS;
    }

    /** Whether this process's own connections (to shards, members, config servers) use TLS. */
    public boolean outgoing() {
        return mode == Mode.preferTLS || mode == Mode.requireTLS;
    }

    /** The server side: this process's certificate and key. */
    public SslContext serverContext() {
        try (InputStream chain = Files.newInputStream(certificateKeyFile); InputStream key = Files.newInputStream(certificateKeyFile)) {
            return SslContextBuilder.forServer(chain, key).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate and key in " + certificateKeyFile + ": " + e.getMessage(), e);
        }
    }

    /** The client side of this process's own connections: trusts the CA file (or anything, with allowInvalidCertificates). */
    public SslContext clientContext() {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (allowInvalidCertificates) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (caFile != null) {
                b.trustManager(caFile.toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the TLS CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static final java.util.Map<TlsOptions, SSLContext> JDK_CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The JDK's context for the blocking and driver clients of this process, trusting the CA file (built once). */
    public SSLContext jdkClientContext() {
        return JDK_CONTEXTS.computeIfAbsent(this, TlsOptions::buildJdkClientContext);
    }

    /** Checks that the peer's certificate names the host connected to (unless allowInvalidCertificates). */
    public void verifyHostname(javax.net.ssl.SSLEngine engine) {
        if (!allowInvalidCertificates) {
            javax.net.ssl.SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
    }

    private SSLContext buildJdkClientContext() {
        try {
            TrustManagerFactory tmf;
            if (allowInvalidCertificates) {
                tmf = InsecureTrustManagerFactory.INSTANCE;
            } else {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                KeyStore trust = null;
                if (caFile != null) {
                    trust = KeyStore.getInstance(KeyStore.getDefaultType());
                    trust.load(null, null);
                    try (InputStream in = Files.newInputStream(caFile)) {
                        int i = 0;
                        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                            trust.setCertificateEntry("ca" + i++, c);
                        }
                    }
                }
                tmf.init(trust);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
