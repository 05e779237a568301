package io.shardstore.sharding;

import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonTimestamp;
import org.bson.types.ObjectId;

/**
 * A chunk's version, MongoDB's {@code lastmod}: {@code major} grows when a chunk changes shard, {@code minor}
 * when a chunk is split; the {@code epoch} names one incarnation of the collection (a drop and re-shard
 * gets a new one). Sent on the wire as {@code shardVersion: {e, t, v}}.
 */
public record ChunkVersion(int major, int minor, ObjectId epoch, BsonTimestamp timestamp) implements Comparable<ChunkVersion> {

    public static final ChunkVersion UNSHARDED = new ChunkVersion(0, 0, new ObjectId("000000000000000000000000"), new BsonTimestamp(0, 0));

    public BsonTimestamp asTimestamp() {
        return new BsonTimestamp(major, minor);
    }

    public static ChunkVersion fromLastmod(BsonTimestamp lastmod, ObjectId epoch, BsonTimestamp timestamp) {
        return new ChunkVersion(lastmod.getTime(), lastmod.getInc(), epoch, timestamp);
    }

    public BsonDocument toShardVersion() {
        return new BsonDocument("e", new BsonObjectId(epoch)).append("t", timestamp).append("v", asTimestamp());
    }

    public static ChunkVersion fromShardVersion(BsonDocument sv) {
        BsonTimestamp v = sv.getTimestamp("v");
        return new ChunkVersion(v.getTime(), v.getInc(), sv.getObjectId("e").getValue(),
            sv.containsKey("t") ? sv.getTimestamp("t") : new BsonTimestamp(0, 0));
    }

    public boolean sameEpoch(ChunkVersion other) {
        return epoch.equals(other.epoch);
    }

    @Override
    public int compareTo(ChunkVersion o) {
        int c = Integer.compare(major, o.major);
        return c != 0 ? c : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "|" + minor + "||" + epoch.toHexString();
    }
}
