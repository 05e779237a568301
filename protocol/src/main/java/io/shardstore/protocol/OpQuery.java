package io.shardstore.protocol;

import io.netty.buffer.ByteBuf;

/** A legacy OP_QUERY, which drivers still use for the first hello / isMaster of a connection. */
public record OpQuery(MsgHeader header, int flags, String fullCollectionName, int numberToSkip, int numberToReturn,
                      ByteBuf query, Compressor compressor, ByteBuf backing) implements WireRequest {

    /** The database of a command query ("admin" for "admin.$cmd"), or null when this is not a command. */
    public String commandDatabase() {
        return fullCollectionName.endsWith(".$cmd")
            ? fullCollectionName.substring(0, fullCollectionName.length() - ".$cmd".length())
            : null;
    }
}
