package io.shardstore.router.frontend;

import org.bson.BsonBinary;
import org.bson.BsonValue;

import io.shardstore.router.engine.BsonBytes;

/**
 * A session's id as the router's session registry keys it: a 16-byte binary id (the drivers' UUIDs) held as two
 * longs, read straight off the request's bytes. Every driver request names its session; keyed by the decoded
 * {@link BsonBinary}, each request copied the id, hashed its bytes and compared arrays (about 3 % of the router's
 * user time on targeted reads and updates). Any other id is kept as the value it is ({@link #of}).
 */
public final class SessionKey {
    private final byte subtype;
    private final long high;
    private final long low;

    private SessionKey(byte subtype, long high, long low) {
        this.subtype = subtype;
        this.high = high;
        this.low = low;
    }

    /** The key of a binary id of {@code length} bytes at {@code data} in {@code doc}, or null when it is not 16 bytes. */
    static SessionKey read(byte[] doc, byte subtype, int data, int length) {
        return length == 16 ? new SessionKey(subtype, BsonBytes.longAt(doc, data), BsonBytes.longAt(doc, data + 8)) : null;
    }

    /** The registry's key for an lsid's {@code id} as decoded (endSessions): the same key a request's bytes give. */
    public static Object of(BsonValue id) {
        if (id instanceof BsonBinary b && b.getData().length == 16) {
            byte[] data = b.getData();
            return new SessionKey(b.getType(), BsonBytes.longAt(data, 0), BsonBytes.longAt(data, 8));
        }
        return id;
    }

    /** The id as BSON ($listLocalSessions), for a key or for an id kept as it was. */
    public static BsonValue toBson(Object key) {
        if (key instanceof SessionKey k) {
            // Little-endian, as BsonBytes.longAt read them.
            return new BsonBinary(k.subtype, java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(k.high).putLong(k.low).array());
        }
        return (BsonValue) key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && k.high == high && k.low == low && k.subtype == subtype;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low);
    }
}
