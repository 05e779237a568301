package io.shardstore.protocol;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** mongod's TLS options, shared by {@code bin/router}, {@code bin/shard-node} and {@code bin/config-server}. */
public final class TlsOptionsMixin {
    @Option(names = "--tlsMode", description = "disabled, allowTLS, preferTLS or requireTLS (default: ${DEFAULT-VALUE})")
    TlsOptions.Mode mode = TlsOptions.Mode.disabled;

    @Option(names = "--tlsCertificateKeyFile", description = "PEM file with this process's certificate chain and its (PKCS#8) key")
    Path certificateKeyFile;

    @Option(names = "--tlsCAFile", description = "PEM file of the CA that signed the other processes' certificates")
    Path caFile;

    @Option(names = "--tlsAllowInvalidCertificates", description = "do not check the peers' certificates (tests only)")
    boolean allowInvalidCertificates;

    /** The options; IllegalArgumentException when they do not fit together. */
    public TlsOptions options() {
        TlsOptions tls = new TlsOptions(mode, certificateKeyFile, caFile, allowInvalidCertificates);
        if (tls.enabled()) {
            tls.serverContext(); // a certificate or key that cannot be read stops the start, not the first client
        }
        return tls;
    }
}
