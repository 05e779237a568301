package io.shardstore.router.planner;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import io.shardstore.router.engine.BsonBytes;
import io.shardstore.sharding.ChunkMap;
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
    private static final byte BOOLEAN = 0x08;

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
        return Targeting.pointShard(map, new RawBsonDocument(b, q, BsonBytes.intAt(b, q)));
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
                if (key.touches(new String(b, name, p - name, StandardCharsets.UTF_8))) {
                    return false; // the shard-key guard decides: the decoded path
                }
                p++;
                p += BsonBytes.valueSize(b, fieldType, p);
            }
            pos = opEnd + 1;
        }
        return true;
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
