package io.shardstore.protocol;

/** The limits a MongoDB 7.0 server advertises in hello, enforced by the codec. */
public final class WireLimits {
    public static final int MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
    /** Commands may exceed a document by this much (mongod's BSONObjMaxInternalSize). */
    public static final int MAX_COMMAND_OBJECT_SIZE = MAX_BSON_OBJECT_SIZE + 16 * 1024;
    public static final int MAX_MESSAGE_SIZE_BYTES = 48_000_000;
    public static final int MAX_WRITE_BATCH_SIZE = 100_000;
    /** Deeper documents are refused, as mongod refuses them (BSONDepth). */
    public static final int MAX_BSON_DEPTH = 180;
    public static final int MAX_WIRE_VERSION = 21;
    public static final int MIN_WIRE_VERSION = 0;

    private WireLimits() {
    }
}
