package io.shardstore.router.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.shardstore.sharding.Chunk;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.ChunkVersion;
import io.shardstore.sharding.ShardKeyPattern;

/** The point-query shortcut must target exactly the shard the general key targeting finds. */
class PointTargetingTest {
    private static final ObjectId EPOCH = new ObjectId();

    private static ChunkMap map(ShardKeyPattern key, int chunks, Random random) {
        List<Long> bounds = new ArrayList<>();
        for (int i = 1; i < chunks; i++) {
            bounds.add(random.nextLong());
        }
        bounds.sort(null);
        List<Chunk> out = new ArrayList<>();
        BsonDocument min = key.globalMin();
        for (int i = 0; i < chunks; i++) {
            BsonDocument max = i < bounds.size() ? new BsonDocument("_id", new BsonInt64(bounds.get(i))) : key.globalMax();
            out.add(new Chunk(min, max, "s" + (i % 3), new ChunkVersion(i + 1, 0, EPOCH, new BsonTimestamp(1, 1))));
            min = max;
        }
        return new ChunkMap(key, out);
    }

    private static List<BsonValue> values(Random random) {
        List<BsonValue> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add(new BsonInt64(random.nextLong()));
            values.add(new BsonInt32(random.nextInt()));
            values.add(new BsonDouble(random.nextGaussian() * 1e18));
            values.add(new BsonString(Long.toHexString(random.nextLong())));
        }
        return values;
    }

    @Test
    void agreesWithTheGeneralTargetingOnRangeAndHashedKeys() {
        Random random = new Random(7);
        for (ShardKeyPattern key : List.of(new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1))), ShardKeyPattern.hashedOn("_id"))) {
            ChunkMap map = map(key, 64, random);
            for (BsonValue v : values(random)) {
                BsonDocument filter = new RawBsonDocument(new BsonDocument("_id", v).append("other", new BsonInt32(1)), new BsonDocumentCodec());
                List<BsonDocument> keys = Targeting.exactKeys(key, filter);
                String expected = map.chunkFor(keys.get(0)).shard();
                assertEquals(expected, Targeting.pointShard(map, filter), key + " " + v);
                assertEquals(new Targeting.Target(Set.of(expected), true), Targeting.shardsFor(map, filter));
            }
        }
    }

    @Test
    void leavesEverythingButAPlainValueToTheGeneralTargeting() {
        ShardKeyPattern key = new ShardKeyPattern(new BsonDocument("_id", new BsonInt32(1)));
        ChunkMap map = map(key, 8, new Random(1));
        assertNull(Targeting.pointShard(map, new BsonDocument("_id", new BsonDocument("$in", new BsonArray(List.of(new BsonInt32(1)))))));
        assertNull(Targeting.pointShard(map, new BsonDocument("_id", new BsonDocument("$gt", new BsonInt32(1)))));
        assertNull(Targeting.pointShard(map, new BsonDocument("_id", new BsonArray(List.of(new BsonInt32(1))))));
        assertNull(Targeting.pointShard(map, new BsonDocument("_id", new BsonRegularExpression("^a"))));
        assertNull(Targeting.pointShard(map, new BsonDocument("x", new BsonInt32(1))));
        ShardKeyPattern compound = new ShardKeyPattern(new BsonDocument("a", new BsonInt32(1)).append("b", new BsonInt32(1)));
        assertNull(Targeting.pointShard(new ChunkMap(compound, List.of(new Chunk(compound.globalMin(), compound.globalMax(), "s0",
            new ChunkVersion(1, 0, EPOCH, new BsonTimestamp(1, 1))))), new BsonDocument("a", new BsonInt32(1)).append("b", new BsonInt32(2))));
    }
}
