package io.shardstore.router.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.shardstore.router.engine.WriteSplit;
import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The raw update targeting must never disagree with the decoded path (WriteSplit.singleShard): where it answers a
 * shard, the decoded path answers the same one; and the usual update (a plain shard-key filter, $set / $inc of
 * other fields) must take it.
 */
class RawUpdateTargetTest {
    private static final ObjectId EPOCH = new ObjectId();
    /** Statements per round of {@link #statements}. */
    private static final int KINDS = 18;

    private static ChunkMap map(ShardKeyPattern key, Random random) {
        List<Long> bounds = new ArrayList<>();
        for (int i = 1; i < 16; i++) {
            bounds.add(random.nextLong() / 1000);
        }
        bounds.sort(null);
        String field = key.fields().get(0);
        List<Chunk> out = new ArrayList<>();
        BsonDocument min = key.globalMin();
        for (int i = 0; i < 16; i++) {
            BsonDocument max = i < bounds.size() ? new BsonDocument(field, new BsonInt64(bounds.get(i))) : key.globalMax();
            out.add(new Chunk(min, max, "s" + (i % 3), new ChunkVersion(i + 1, 0, EPOCH, new BsonTimestamp(1, 1))));
            min = max;
        }
        return new ChunkMap(key, out);
    }

    private static RawBsonDocument raw(BsonDocument d) {
        return new RawBsonDocument(d, new BsonDocumentCodec());
    }

    private static String decoded(BsonDocument statement, ChunkMap map) {
        try {
            return WriteSplit.singleShard("update", List.of(statement.clone()), map);
        } catch (RuntimeException e) {
            return "refused: " + e.getMessage(); // the raw path must not answer a shard for these
        }
    }

    private static List<BsonDocument> statements(String key, Random random) {
        List<BsonDocument> out = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long v = random.nextLong() / 1000;
            BsonDocument q = new BsonDocument(key, new BsonInt64(v));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument("f", new BsonString("x" + i)))));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$inc", new BsonDocument("n", new BsonInt32(1))))
                .append("multi", BsonBoolean.FALSE).append("upsert", BsonBoolean.FALSE));
            // Each of these must go the decoded way (or agree with it).
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument(key, new BsonInt64(v)))));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument(key + ".x", new BsonInt32(1)))));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$unset", new BsonDocument(key, new BsonString("")))));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("a", new BsonInt32(1))));
            out.add(new BsonDocument("q", q).append("u", new BsonArray(List.of(new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1)))))));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument()));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1))))
                .append("upsert", BsonBoolean.TRUE));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1))))
                .append("multi", BsonBoolean.TRUE));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1))))
                .append("multi", new BsonInt32(0)));
            out.add(new BsonDocument("q", q).append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1))))
                .append("collation", new BsonDocument("locale", new BsonString("fr"))));
            out.add(new BsonDocument("q", new BsonDocument(key, new BsonDocument("$gte", new BsonInt64(v))))
                .append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1)))));
            out.add(new BsonDocument("q", new BsonDocument("other", new BsonInt64(v)))
                .append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1)))));
            out.add(new BsonDocument("q", new BsonDocument(key, new BsonRegularExpression("^a")))
                .append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1)))));
            out.add(new BsonDocument("q", new BsonDocument("$and", new BsonArray(List.of(q))))
                .append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1)))));
            out.add(new BsonDocument("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1)))));
            out.add(new BsonDocument("q", q));
        }
        return out;
    }

    @Test
    void agreesWithTheDecodedPathAndTakesTheUsualUpdate() {
        Random random = new Random(15);
        for (ShardKeyPattern key : List.of(new ShardKeyPattern(new BsonDocument("k", new BsonInt32(1))), ShardKeyPattern.hashedOn("_id"),
            new ShardKeyPattern(new BsonDocument("a", new BsonInt32(1)).append("b", new BsonInt32(1))))) {
            ChunkMap map = key.fields().size() == 1 ? map(key, random) : new ChunkMap(key,
                List.of(new Chunk(key.globalMin(), key.globalMax(), "s0", new ChunkVersion(1, 0, EPOCH, new BsonTimestamp(1, 1)))));
            java.util.Set<Integer> kinds = new java.util.TreeSet<>();
            List<BsonDocument> statements = statements(key.fields().get(0), random);
            for (int i = 0; i < statements.size(); i++) {
                BsonDocument s = statements.get(i);
                String fast = RawUpdateTarget.singleShard(List.of(raw(s)), map);
                if (fast != null) {
                    kinds.add(i % KINDS);
                    assertEquals(decoded(s, map), fast, key + " " + s.toJson());
                }
            }
            // The two usual statements, and a filter of one $and clause (Targeting reads it as that clause).
            assertEquals(key.fields().size() == 1 ? java.util.Set.of(0, 1, 15) : java.util.Set.of(), kinds, key.toString());
        }
    }

    @Test
    void aFieldNamedTwiceIsLeftToTheDecodedPath() {
        ShardKeyPattern key = new ShardKeyPattern(new BsonDocument("k", new BsonInt32(1)));
        ChunkMap map = map(key, new Random(3));
        org.bson.io.BasicOutputBuffer out = new org.bson.io.BasicOutputBuffer();
        try (org.bson.BsonBinaryWriter w = new org.bson.BsonBinaryWriter(out)) {
            w.writeStartDocument();
            w.writeStartDocument("q");
            w.writeInt64("k", 1);
            w.writeEndDocument();
            w.writeStartDocument("q");
            w.writeInt64("k", Long.MAX_VALUE / 1000);
            w.writeEndDocument();
            w.writeStartDocument("u");
            w.writeStartDocument("$set");
            w.writeInt32("a", 1);
            w.writeEndDocument();
            w.writeEndDocument();
            w.writeEndDocument();
        }
        RawBsonDocument twice = new RawBsonDocument(out.toByteArray());
        assertNull(RawUpdateTarget.singleShard(List.of(twice), map));
    }

    @Test
    void aBatchGoesRawOnlyWhenEveryStatementIsPinnedToTheSameShard() {
        ShardKeyPattern key = new ShardKeyPattern(new BsonDocument("k", new BsonInt32(1)));
        ChunkMap map = map(key, new Random(7));
        List<RawBsonDocument> sameShard = new ArrayList<>();
        String shard = null;
        for (long v = Long.MIN_VALUE / 2000; sameShard.size() < 3; v += 1) {
            BsonDocument s = new BsonDocument("q", new BsonDocument("k", new BsonInt64(v)))
                .append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1))));
            String one = RawUpdateTarget.singleShard(List.of(raw(s)), map);
            assertNotNull(one);
            if (shard == null || shard.equals(one)) {
                shard = one;
                sameShard.add(raw(s));
            }
        }
        assertEquals(shard, RawUpdateTarget.singleShard(sameShard, map));
        List<RawBsonDocument> mixed = new ArrayList<>(sameShard);
        mixed.add(raw(new BsonDocument("q", new BsonDocument("k", new BsonInt64(Long.MAX_VALUE / 1000)))
            .append("u", new BsonDocument("$set", new BsonDocument("a", new BsonInt32(1))))));
        String last = RawUpdateTarget.singleShard(List.of(mixed.get(3)), map);
        assertEquals(last.equals(shard) ? shard : null, RawUpdateTarget.singleShard(mixed, map));
        // A decoded statement (not raw) is left to the decoded path.
        assertNull(RawUpdateTarget.singleShard(List.of(sameShard.get(0).decode(new BsonDocumentCodec())), map));
    }
    @Test
    void keyValuesOfEveryUsualTypeAndDottedKeyPathsAgreeWithTheDecodedPath() {
        Random random = new Random(11);
        List<org.bson.BsonValue> values = List.of(new BsonString("user4711"), new BsonString("é"), new BsonInt32(-7),
            new BsonInt64(1L << 40), new org.bson.BsonDouble(2.5), new org.bson.BsonObjectId(new ObjectId()),
            new org.bson.BsonDateTime(1_700_000_000_000L), BsonBoolean.TRUE, new org.bson.BsonNull(),
            new org.bson.BsonDecimal128(org.bson.types.Decimal128.parse("3")));
        int usual = 0;
        for (ShardKeyPattern key : List.of(new ShardKeyPattern(new BsonDocument("a.b", new BsonInt32(1))), ShardKeyPattern.hashedOn("k"),
            new ShardKeyPattern(new BsonDocument("k", new BsonInt32(1))))) {
            ChunkMap map = map(key, random);
            String field = key.fields().get(0);
            for (org.bson.BsonValue v : values) {
                for (String path : List.of("a", "a.b", "a.b.c", "a.bc", "ab", "k", "k.x", "kk", "x")) {
                    BsonDocument s = new BsonDocument("q", new BsonDocument("other", new BsonInt32(1)).append(field, v))
                        .append("u", new BsonDocument("$set", new BsonDocument(path, new BsonInt32(1))));
                    String fast = RawUpdateTarget.singleShard(List.of(raw(s)), map);
                    if (fast != null) {
                        usual++;
                        assertEquals(decoded(s, map), fast, key + " " + s.toJson());
                    } else {
                        boolean writesKey = path.equals(field) || path.startsWith(field + ".") || field.startsWith(path + ".");
                        assertEquals(true, writesKey || !(v.isString() || v.isNumber() || v.isObjectId() || v.isDateTime()),
                            "the usual update was left to the decoded path: " + key + " " + s.toJson());
                    }
                }
            }
        }
        assertEquals(true, usual > 100, "statements targeted raw: " + usual);
    }
}
