package io.shardstore.protocol;

import io.netty.channel.Channel;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;

/**
 * Puts TLS first in a client connection's pipeline: requireTLS, a TLS handler; allowTLS and preferTLS, a handler that
 * looks at the first bytes and adds TLS only for a client that starts a TLS handshake; disabled, nothing.
 */
public final class TlsHandlers {
    private TlsHandlers() {
    }

    /** {@code server} is the server context of {@code tls} built once (null when TLS is disabled). */
    public static void install(Channel ch, TlsOptions tls, SslContext server) {
        if (server == null || !tls.enabled()) {
            return;
        }
        if (tls.plainAccepted()) {
            ch.pipeline().addFirst("tls", new OptionalSslHandler(server));
        } else {
            ch.pipeline().addFirst("tls", server.newHandler(ch.alloc()));
        }
    }
}
