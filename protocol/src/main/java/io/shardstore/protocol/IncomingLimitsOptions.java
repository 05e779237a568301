package io.shardstore.protocol;

import picocli.CommandLine.Option;

/** The command-line options of {@link IncomingLimits}, shared by {@code bin/router} and {@code bin/node}. */
public final class IncomingLimitsOptions {
    @Option(names = "--maxConns", description = "connections accepted at once; more are closed as they come "
        + "(mongod's net.maxIncomingConnections; default: ${DEFAULT-VALUE})")
    int maxConns = IncomingLimits.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--maxIncompleteMessageBytes", description = "bytes of messages not yet complete held over all "
        + "connections; a connection whose message would go over it is closed (default: a quarter of the direct memory)")
    Long maxIncompleteBytes;

    @Option(names = "--incompleteMessageTimeoutMS", description = "a connection silent this long in the middle of a "
        + "message is closed (default: ${DEFAULT-VALUE})")
    long incompleteTimeoutMillis = IncomingLimits.DEFAULT_INCOMPLETE_TIMEOUT_MILLIS;

    /** The limits; IllegalArgumentException for values out of range. */
    public IncomingLimits limits() {
        return new IncomingLimits(maxConns, maxIncompleteBytes != null ? maxIncompleteBytes : IncomingLimits.defaultIncompleteBytes(),
            incompleteTimeoutMillis);
    }
}
