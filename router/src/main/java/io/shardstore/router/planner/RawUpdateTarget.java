package io.shardstore.router.planner;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;

import io.shardstore.router.engine.BsonBytes;
import io.shardstore.sharding.ChunkMap;
import io.shardstore.sharding.HashedKeys;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The common update, targeted off its bytes: statements of only {@code q}, an operator {@code u} and false
 * {@code multi} / {@code upsert}, whose filter pins one shard by a plain shard-key value and whose operators write no
 * shard-key path. Such a batch is forwarded as it came (WriteCommand), and here it is found without decoding a
 * statement: the decode and the checks that follow it were the largest part of the router's own work per update
 * (decision 0015). Anything else (another field, upsert, multi, a pipeline or replacement, a shard-key path written,
 * a filter that does not pin one shard) answers null, and the statements take the decoded path, which handles them all.
 */
public final class RawUpdateTarget {
    private static final byte DOCUMENT = 0x03;
    private static final byte ARRAY = 0x04;
    private static final byte BOOLEAN = 0x08;
    private static final byte REGEX = 0x0B;

    private RawUpdateTarget() {
    }

    /** The one shard every statement is pinned to, read as above; null when some statement needs the decoded path. */
    public static String singleShard(List<? extends BsonDocument> statements, ChunkMap map) {
        String shard = null;
        for (BsonDocument s : statements) {
            if (!(s instanceof RawBsonDocument raw)) {
                return null;
            }
            String one = shardOf(raw, map);
            if (one == null || (shard != null && !shard.equals(one))) {
                return null;
            }
            shard = one;
        }
        return shard;
    }

    private static String shardOf(RawBsonDocument statement, ChunkMap map) {
        java.nio.ByteBuffer bb = statement.getByteBuffer().asNIO();
        if (!bb.hasArray()) {
            return null;
        }
        byte[] b = bb.array();
        int start = bb.arrayOffset() + bb.position();
        int end = start + BsonBytes.intAt(b, start) - 1;
        int q = -1;
        int u = -1;
        int pos = start + 4;
        while (pos < end) {
            byte type = b[pos++];
            int name = pos;
            while (b[pos] != 0) {
                pos++;
            }
            int nameLength = pos - name;
            pos++;
            // A field named twice is left to the decoded path too.
            if (is(b, name, nameLength, "q") && type == DOCUMENT && q < 0) {
                q = pos;
            } else if (is(b, name, nameLength, "u") && type == DOCUMENT && u < 0) {
                u = pos;
            } else if (!((is(b, name, nameLength, "multi") || is(b, name, nameLength, "upsert")) && type == BOOLEAN && b[pos] == 0)) {
                return null; // another field (collation, arrayFilters, hint...), or multi / upsert not plainly false
            }
            pos += BsonBytes.valueSize(b, type, pos);
        }
        if (q < 0 || u < 0 || !writesNoKeyPath(b, u, map.keyPattern())) {
            return null;
        }
        return pointShard(b, q, map);
    }

    /**
     * {@link Targeting#pointShard} for a filter in the statement's bytes: the first top-level field named as a
     * single-field shard key, decoded alone when it holds one of the usual scalar types, instead of a document reader
     * walking the filter through the codec registry. A document, array or regex pins no shard there either; any
     * other case (no such field, another type, a compound key) asks Targeting itself.
     */
    private static String pointShard(byte[] b, int q, ChunkMap map) {
        ShardKeyPattern pattern = map.keyPattern();
        if (pattern.fields().size() != 1) {
            return null;
        }
        byte[] field = pattern.fields().get(0).getBytes(StandardCharsets.UTF_8);
        int value = BsonBytes.find(b, q, field);
        if (value >= 0) {
            byte type = b[value - field.length - 2];
            if (type == DOCUMENT || type == ARRAY || type == REGEX) {
                return null;
            }
            BsonValue v = scalar(b, type, value);
            if (v != null) {
                return map.chunkForValue(pattern.isHashed(0) ? new BsonInt64(HashedKeys.hash(v)) : v).shard();
            }
        }
        return Targeting.pointShard(map, new RawBsonDocument(b, q, BsonBytes.intAt(b, q)));
    }

    /** The value at {@code at} when it is of a type shard keys usually hold; null for any other type. */
    private static BsonValue scalar(byte[] b, byte type, int at) {
        return switch (type) {
            case 0x01 -> new BsonDouble(Double.longBitsToDouble(BsonBytes.longAt(b, at)));
            case 0x02 -> new BsonString(new String(b, at + 4, BsonBytes.intAt(b, at) - 1, StandardCharsets.UTF_8));
            case 0x07 -> new BsonObjectId(new ObjectId(java.util.Arrays.copyOfRange(b, at, at + 12)));
            case 0x09 -> new BsonDateTime(BsonBytes.longAt(b, at));
            case 0x10 -> new BsonInt32(BsonBytes.intAt(b, at));
            case 0x12 -> new BsonInt64(BsonBytes.longAt(b, at));
            default -> null;
        };
    }

    /** Whether {@code u} is all operators (each with a document of paths) and no path touches the shard key. */
    private static boolean writesNoKeyPath(byte[] b, int u, ShardKeyPattern key) {
        int end = u + BsonBytes.intAt(b, u) - 1;
        int pos = u + 4;
        if (pos >= end) {
            return false; // an empty replacement
        }
        while (pos < end) {
            byte type = b[pos++];
            if (b[pos] != '$' || type != DOCUMENT) {
                return false; // a replacement document, or an operator the node will refuse
            }
            while (b[pos] != 0) {
                pos++;
            }
            pos++;
            int opEnd = pos + BsonBytes.intAt(b, pos) - 1;
            int p = pos + 4;
            while (p < opEnd) {
                byte fieldType = b[p++];
                int name = p;
                while (b[p] != 0) {
                    p++;
                }
                if (touches(key, b, name, p - name)) {
                    return false; // the shard-key guard decides: the decoded path
                }
                p++;
                p += BsonBytes.valueSize(b, fieldType, p);
            }
            pos = opEnd + 1;
        }
        return true;
    }

    /** {@link ShardKeyPattern#touches} for a path in bytes: compared in place for ASCII key fields (the usual ones). */
    private static boolean touches(ShardKeyPattern key, byte[] b, int path, int length) {
        for (String f : key.fields()) {
            if (!BsonBytes.isAscii(f)) {
                return key.touches(new String(b, path, length, StandardCharsets.UTF_8));
            }
            int n = Math.min(length, f.length());
            boolean prefix = true;
            for (int i = 0; i < n && prefix; i++) {
                prefix = b[path + i] == f.charAt(i);
            }
            // equal, the path inside the field ("a.b" of key "a"), or the field inside the path ("a" of key "a.b")
            if (prefix && (length == f.length() || (length > f.length() && b[path + f.length()] == '.')
                || (f.length() > length && f.charAt(length) == '.'))) {
                return true;
            }
        }
        return false;
    }

    private static boolean is(byte[] b, int at, int length, String name) {
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[at + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
