package io.shardstore.router.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.shardstore.sharding.ChunkVersion;

/**
 * Edits raw BSON in place or by concatenation, so the single-shard path forwards documents without
 * decoding them: append one field to a command, overwrite a reply's cursor id.
 */
public final class BsonBytes {

    private BsonBytes() {
    }

    /** The document's bytes: its own backing array when it spans all of it (no copy), else a copy. */
    public static byte[] bytes(RawBsonDocument doc) {
        ByteBuffer bb = doc.getByteBuffer().asNIO();
        if (bb.hasArray() && bb.arrayOffset() + bb.position() == 0 && bb.remaining() == bb.array().length) {
            return bb.array();
        }
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        return out;
    }

    /** {@code doc} with the fields of {@code extra} appended (their bytes are spliced before the terminator). */
    public static byte[] append(byte[] doc, BsonDocument extra) {
        byte[] add = bytes(new RawBsonDocument(extra, new BsonDocumentCodec()));
        int elements = add.length - 5;
        byte[] out = new byte[doc.length + elements];
        System.arraycopy(doc, 0, out, 0, doc.length - 1);
        System.arraycopy(add, 4, out, doc.length - 1, elements);
        out[out.length - 1] = 0;
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, out.length);
        return out;
    }

    private static final byte[] SHARD_VERSION = "shardVersion".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** {@code shardVersion: {e: ObjectId, t: Timestamp, v: Timestamp}} as one element: type, name, document. */
    private static final int SHARD_VERSION_ELEMENT = 1 + SHARD_VERSION.length + 1 + 4 + (3 + 12) + (3 + 8) + (3 + 8) + 1;

    /**
     * {@code doc} with {@code shardVersion: {e, t, v}} appended, written straight into the copy (the same bytes
     * {@link #append} would splice in from {@link ChunkVersion#toShardVersion}, without building a document).
     */
    public static byte[] appendShardVersion(byte[] doc, ChunkVersion version) {
        byte[] out = Arrays.copyOf(doc, doc.length + SHARD_VERSION_ELEMENT);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.position(doc.length - 1);
        b.put((byte) 0x03).put(SHARD_VERSION).put((byte) 0);
        b.putInt(4 + (3 + 12) + (3 + 8) + (3 + 8) + 1);
        b.put((byte) 0x07).put((byte) 'e').put((byte) 0).put(version.epoch().toByteArray());
        b.put((byte) 0x11).put((byte) 't').put((byte) 0).putLong(version.timestamp().getValue());
        b.put((byte) 0x11).put((byte) 'v').put((byte) 0).putLong(version.asTimestamp().getValue());
        b.put((byte) 0).put((byte) 0);
        b.putInt(0, out.length);
        return out;
    }

    /** The offset of a top-level field's value in {@code doc}, or -1; {@code type} must match. */
    public static int find(byte[] doc, int start, String name, byte type) {
        ByteBuffer b = ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN);
        int end = start + b.getInt(start) - 1;
        int pos = start + 4;
        byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        while (pos < end) {
            byte t = doc[pos++];
            int nameStart = pos;
            while (doc[pos] != 0) {
                pos++;
            }
            boolean match = t == type && pos - nameStart == wanted.length
                && java.util.Arrays.equals(doc, nameStart, pos, wanted, 0, wanted.length);
            pos++;
            if (match) {
                return pos;
            }
            pos += valueSize(b, t, pos);
        }
        return -1;
    }

    /** The name of a document's first field, or "" for an empty document. */
    public static String firstKey(byte[] doc) {
        if (doc.length <= 5) {
            return "";
        }
        int end = 5;
        while (doc[end] != 0) {
            end++;
        }
        return new String(doc, 5, end - 5, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A top-level string field's value, or null when it is missing or not a string. */
    public static String string(byte[] doc, String name) {
        int at = find(doc, 0, name, (byte) 0x02);
        if (at < 0) {
            return null;
        }
        int length = ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
        return new String(doc, at + 4, length - 1, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The cursor id of a {@code {cursor: {id, ...}}} reply, or 0. */
    public static long cursorId(byte[] reply) {
        int cursor = find(reply, 0, "cursor", (byte) 0x03);
        if (cursor < 0) {
            return 0;
        }
        int id = find(reply, cursor, "id", (byte) 0x12);
        return id < 0 ? 0 : ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN).getLong(id);
    }

    /** Overwrites {@code cursor.id} in place; returns false when the reply has none. */
    public static boolean setCursorId(byte[] reply, long id) {
        int cursor = find(reply, 0, "cursor", (byte) 0x03);
        if (cursor < 0) {
            return false;
        }
        int at = find(reply, cursor, "id", (byte) 0x12);
        if (at < 0) {
            return false;
        }
        ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN).putLong(at, id);
        return true;
    }

    private static int valueSize(ByteBuffer b, byte type, int pos) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x10 -> 4;
            case 0x13 -> 16;
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> 0;
            case 0x02, 0x0D, 0x0E -> 4 + b.getInt(pos);
            case 0x03, 0x04, 0x0F -> b.getInt(pos);
            case 0x05 -> 5 + b.getInt(pos);
            case 0x0B -> {
                int p = pos;
                while (b.get(p) != 0) {
                    p++;
                }
                p++;
                while (b.get(p) != 0) {
                    p++;
                }
                yield p + 1 - pos;
            }
            case 0x0C -> 4 + b.getInt(pos) + 12;
            default -> throw new IllegalArgumentException("unknown BSON type " + type);
        };
    }
}
