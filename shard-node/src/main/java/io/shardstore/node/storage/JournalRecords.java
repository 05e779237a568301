package io.shardstore.node.storage;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The kinds of journal record. All are idempotent, so replaying a record twice (after a crash
 * between checkpoint and journal truncation) does no harm:
 * <ul>
 * <li>{@code put}: the whole document after a write, stored by {@code _id} (insert or replace);</li>
 * <li>{@code del}: the document with this {@code _id} is gone;</li>
 * <li>{@code cmd}: a catalog command (create, createIndexes, drop...) run again as it was;</li>
 * <li>{@code oplog} / {@code oplogTruncate}: a replica-set member's oplog entry, a rollback's truncation.</li>
 * </ul>
 */
public final class JournalRecords {
    public static final String OP = "op";

    private JournalRecords() {
    }

    public static Document put(String ns, Document doc) {
        return new Document(OP, "put").append("ns", ns).append("doc", doc);
    }

    public static Document delete(String ns, Object id) {
        return new Document(OP, "del").append("ns", ns).append("id", id);
    }

    public static Document command(String db, Document command) {
        return new Document(OP, "cmd").append("db", db).append("cmd", command);
    }

    /** A replica-set member's oplog entry (see {@link OplogDurability}). */
    public static Document oplogEntry(Document entry) {
        return new Document(OP, "oplog").append("entry", entry);
    }

    /** A rollback dropped the member's oplog entries after {@code ts}. */
    public static Document oplogTruncate(long ts) {
        return new Document(OP, "oplogTruncate").append("after", new de.bwaldvogel.mongo.bson.BsonTimestamp(ts));
    }

    public static byte[] encode(Document record) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(record, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    public static Document decode(byte[] bytes) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }
}
