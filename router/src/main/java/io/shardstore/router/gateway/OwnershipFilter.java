package io.shardstore.router.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The router-side ownership filter for plain shards (issue 11, decision 0014). While a collection is migrated over plain
 * shards, a shard can hold documents it does not own: the recipient's copies before the commit, the donor's after it
 * until they are deleted. Our own nodes drop those by the shard version sent with each request; a plain shard cannot,
 * so the router adds to every read and multi-document write it sends there a predicate on the shard key that keeps the
 * chunks this shard owns in the routing table the request was planned with.
 * <p>
 * The predicate compares in BSON order, as chunk bounds do, through {@code $expr} (a query operator such as
 * {@code $lt} only compares values of one type: {@code {k: {$lt: 5}}} misses {@code null}, which a chunk
 * {@code [MinKey, 5)} holds). A missing field counts as null, as in chunk placement. Compound keys compare field by
 * field. Only range keys: a hashed key would need {@code $toHashedIndexKey} on the shard, and migrations of hashed
 * collections over plain shards are refused.
 */
final class OwnershipFilter {
    /** Stages that must come first in a pipeline: no $match is put before them. */
    private static final Set<String> FIRST_STAGES = Set.of("$collStats", "$indexStats", "$currentOp", "$listSessions",
        "$listLocalSessions", "$changeStream", "$geoNear", "$documents", "$planCacheStats", "$search", "$searchMeta",
        "$vectorSearch", "$listSearchIndexes", "$shardedDataDistribution");

    private OwnershipFilter() {
    }

    /**
     * The predicate that keeps what {@code shard} owns in {@code map}: null when it owns every chunk (nothing to
     * filter), one that matches nothing when it owns none.
     */
    static BsonDocument predicate(ChunkMap map, String shard) {
        ShardKeyPattern key = map.keyPattern();
        List<BsonDocument[]> runs = new ArrayList<>();
        BsonDocument[] open = null;
        for (Chunk c : map.chunks()) {
            if (c.shard().equals(shard)) {
                if (open != null && open[1].equals(c.min())) {
                    open[1] = c.max();
                } else {
                    open = new BsonDocument[] {c.min(), c.max()};
                    runs.add(open);
                }
            } else {
                open = null;
            }
        }
        if (runs.isEmpty()) {
            return new BsonDocument("_id", new BsonDocument("$in", new BsonArray()));
        }
        List<BsonValue> alternatives = new ArrayList<>();
        for (BsonDocument[] run : runs) {
            List<BsonValue> both = new ArrayList<>();
            if (!allOf(run[0], BsonMinKey.class)) {
                both.add(compare(key.fields(), run[0], true));
            }
            if (!allOf(run[1], BsonMaxKey.class)) {
                both.add(compare(key.fields(), run[1], false));
            }
            if (both.isEmpty()) {
                return null; // one run from MinKey to MaxKey: every chunk is this shard's
            }
            alternatives.add(both.size() == 1 ? both.get(0) : new BsonDocument("$and", new BsonArray(both)));
        }
        BsonValue expr = alternatives.size() == 1 ? alternatives.get(0) : new BsonDocument("$or", new BsonArray(alternatives));
        return new BsonDocument("$expr", expr);
    }

    private static boolean allOf(BsonDocument bound, Class<?> type) {
        return bound.values().stream().allMatch(type::isInstance);
    }

    /** key >= bound (lower) or key < bound (upper), field by field. */
    private static BsonValue compare(List<String> fields, BsonDocument bound, boolean lower) {
        if (fields.size() == 1) {
            return op(lower ? "$gte" : "$lt", fields.get(0), bound.get(fields.get(0)));
        }
        List<BsonValue> alternatives = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            List<BsonValue> all = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                all.add(op("$eq", fields.get(j), bound.get(fields.get(j))));
            }
            all.add(op(lower ? "$gt" : "$lt", fields.get(i), bound.get(fields.get(i))));
            alternatives.add(all.size() == 1 ? all.get(0) : new BsonDocument("$and", new BsonArray(all)));
        }
        if (lower) {
            List<BsonValue> equal = new ArrayList<>();
            for (String f : fields) {
                equal.add(op("$eq", f, bound.get(f)));
            }
            alternatives.add(equal.size() == 1 ? equal.get(0) : new BsonDocument("$and", new BsonArray(equal)));
        }
        return new BsonDocument("$or", new BsonArray(alternatives));
    }

    private static BsonDocument op(String op, String field, BsonValue value) {
        BsonValue fieldValue = new BsonDocument("$ifNull", new BsonArray(List.of(new BsonString("$" + field), BsonNull.VALUE)));
        return new BsonDocument(op, new BsonArray(List.of(fieldValue, value)));
    }

    /**
     * {@code command} with {@code own} added where the shard picks documents (a read's filter or query, a leading
     * $match, each multi-document statement of an update or delete); {@code sections}' statements too. Returns the
     * message to send.
     */
    static ShardGateway.Outbound apply(BsonDocument command, ByteBuf sections, BsonDocument own) {
        String name = command.getFirstKey();
        switch (name) {
            case "find" -> command.put("filter", and(command.getDocument("filter", new BsonDocument()), own));
            case "count", "distinct" -> command.put("query", and(command.getDocument("query", new BsonDocument()), own));
            case "findAndModify", "findandmodify" -> command.put("query", and(command.getDocument("query", new BsonDocument()), own));
            case "aggregate" -> {
                BsonArray pipeline = command.getArray("pipeline", new BsonArray());
                boolean first = !pipeline.isEmpty() && pipeline.get(0).isDocument()
                    && FIRST_STAGES.contains(pipeline.get(0).asDocument().getFirstKey());
                if (!first) {
                    BsonArray filtered = new BsonArray();
                    filtered.add(new BsonDocument("$match", own));
                    filtered.addAll(pipeline);
                    command.put("pipeline", filtered);
                }
            }
            case "update", "delete" -> {
                String field = name.equals("update") ? "updates" : "deletes";
                if (command.isArray(field)) {
                    for (BsonValue s : command.getArray(field)) {
                        restrict(s.asDocument(), name, own);
                    }
                }
                if (sections != null && sections.isReadable()) {
                    sections = rewriteSections(sections, doc -> restrict(doc, name, own));
                }
            }
            default -> {
                // inserts, getMore, catalog commands: nothing to restrict
            }
        }
        byte[] body = encode(command);
        return new ShardGateway.Outbound(body, body.length, sections, null);
    }

    /** A statement that can touch many documents (multi: true, limit: 0) sees only this shard's own. */
    private static void restrict(BsonDocument statement, String command, BsonDocument own) {
        boolean many = command.equals("update") ? statement.getBoolean("multi", BsonBoolean.FALSE).getValue()
            : statement.get("limit", new BsonInt32(0)).isNumber() && statement.getNumber("limit", new BsonInt32(0)).intValue() == 0;
        if (many) {
            statement.put("q", and(statement.getDocument("q", new BsonDocument()), own));
        }
    }

    private static BsonDocument and(BsonDocument filter, BsonDocument own) {
        return filter.isEmpty() ? own : new BsonDocument("$and", new BsonArray(List.of(filter, own)));
    }

    static BsonDocument decode(byte[] body, int length) {
        return new BsonDocumentCodec().decode(new org.bson.BsonBinaryReader(java.nio.ByteBuffer.wrap(body, 0, length).slice()),
            DecoderContext.builder().build());
    }

    private static byte[] encode(BsonDocument command) {
        RawBsonDocument raw = new RawBsonDocument(command, new BsonDocumentCodec());
        byte[] out = new byte[raw.getByteBuffer().remaining()];
        raw.getByteBuffer().get(out);
        return out;
    }

    /** Kind-1 sections (identifier and documents), each document passed through {@code change}, written again. */
    private static ByteBuf rewriteSections(ByteBuf in, java.util.function.Consumer<BsonDocument> change) {
        ByteBuf out = Unpooled.buffer();
        int at = in.readerIndex();
        int end = in.writerIndex();
        while (at < end) {
            int kind = in.getByte(at);
            int size = in.getIntLE(at + 1);
            int idStart = at + 5;
            int idEnd = idStart;
            while (in.getByte(idEnd) != 0) {
                idEnd++;
            }
            byte[] id = new byte[idEnd - idStart];
            in.getBytes(idStart, id);
            List<byte[]> docs = new ArrayList<>();
            int doc = idEnd + 1;
            int sectionEnd = at + 1 + size;
            while (doc < sectionEnd) {
                int docLength = in.getIntLE(doc);
                byte[] bytes = new byte[docLength];
                in.getBytes(doc, bytes);
                if (kind == 1) {
                    BsonDocument d = decode(bytes, docLength);
                    change.accept(d);
                    bytes = encode(d);
                }
                docs.add(bytes);
                doc += docLength;
            }
            int newSize = 4 + id.length + 1 + docs.stream().mapToInt(b -> b.length).sum();
            out.writeByte(kind).writeIntLE(newSize).writeBytes(id).writeByte(0);
            docs.forEach(out::writeBytes);
            at = sectionEnd;
        }
        return out;
    }
}
