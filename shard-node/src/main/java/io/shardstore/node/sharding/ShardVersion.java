package io.shardstore.node.sharding;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/** A collection's version on this shard as the config server last set it: epoch plus major.minor. */
public record ShardVersion(ObjectId epoch, int major, int minor, Object timestamp) {

    /** Parses the wire form {@code {e: ObjectId, t: Timestamp, v: Timestamp(major, minor)}}. */
    public static ShardVersion parse(Object value) {
        if (!(value instanceof Document d) || !(d.get("e") instanceof ObjectId e) || !(d.get("v") instanceof BsonTimestamp v)) {
            return null;
        }
        return new ShardVersion(e, v.getTime(), v.getInc(), d.get("t"));
    }

    public Document toDocument() {
        long v = ((long) major << 32) | (minor & 0xffffffffL);
        return new Document("e", epoch).append("t", timestamp).append("v", new BsonTimestamp(v));
    }

    /** A router's version is current when epoch and major match; minor changes (splits) move no data. */
    public boolean matches(ShardVersion received) {
        return received != null && epoch.equals(received.epoch) && major == received.major;
    }

    @Override
    public String toString() {
        return major + "|" + minor + "||" + epoch.getHexData();
    }
}
