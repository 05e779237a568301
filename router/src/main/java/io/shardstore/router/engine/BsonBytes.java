package io.shardstore.router.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.netty.buffer.ByteBuf;
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
    public static final int SHARD_VERSION_ELEMENT = 1 + SHARD_VERSION.length + 1 + 4 + (3 + 12) + (3 + 8) + (3 + 8) + 1;

    /**
     * Writes the first {@code length} bytes of {@code doc} with {@code shardVersion: {e, t, v}} appended, straight into
     * {@code b} (the same bytes {@link #append} would splice in from {@link ChunkVersion#toShardVersion}, without
     * building a document or an intermediate copy); {@link #SHARD_VERSION_ELEMENT} bytes longer than the document.
     */
    public static void writeWithShardVersion(ByteBuf b, byte[] doc, int length, ChunkVersion version) {
        b.writeIntLE(length + SHARD_VERSION_ELEMENT);
        b.writeBytes(doc, 4, length - 5);
        b.writeByte(0x03).writeBytes(SHARD_VERSION).writeByte(0);
        b.writeIntLE(4 + (3 + 12) + (3 + 8) + (3 + 8) + 1);
        b.writeByte(0x07).writeByte('e').writeByte(0).writeBytes(version.epoch().toByteArray());
        b.writeByte(0x11).writeByte('t').writeByte(0).writeLongLE(version.timestamp().getValue());
        b.writeByte(0x11).writeByte('v').writeByte(0).writeLongLE(version.asTimestamp().getValue());
        b.writeByte(0);
        b.writeByte(0);
    }

    /**
     * The first {@code length} bytes of {@code doc} without its top-level {@code shardVersion} element (the same array
     * when it has none): what a plain shard is sent, which refuses shard versions as a mongod without --shardsvr does.
     */
    public static byte[] withoutShardVersion(byte[] doc, int length) {
        int end = length - 1;
        int pos = 4;
        while (pos < end) {
            int elementStart = pos;
            byte type = doc[pos++];
            int nameStart = pos;
            while (doc[pos] != 0) {
                pos++;
            }
            boolean match = pos - nameStart == SHARD_VERSION.length
                && java.util.Arrays.equals(doc, nameStart, pos, SHARD_VERSION, 0, SHARD_VERSION.length);
            pos++;
            int next = pos + valueSize(doc, type, pos);
            if (match) {
                byte[] out = new byte[length - (next - elementStart)];
                System.arraycopy(doc, 0, out, 0, elementStart);
                System.arraycopy(doc, next, out, elementStart, length - next);
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, out.length);
                return out;
            }
            pos = next;
        }
        return length == doc.length ? doc : java.util.Arrays.copyOf(doc, length);
    }

    /** The offset of a top-level field's value in {@code doc}, or -1; {@code type} must match. */
    public static int find(byte[] doc, int start, String name, byte type) {
        return find(doc, start, name.getBytes(java.nio.charset.StandardCharsets.UTF_8), type, true);
    }

    /**
     * The offset of the value of the first top-level field named {@code name} (its UTF-8 bytes), whatever its type, or
     * -1. The field's type byte is at {@code offset - name.length - 2}.
     */
    public static int find(byte[] doc, int start, byte[] name) {
        return find(doc, start, name, (byte) 0, false);
    }

    private static int find(byte[] doc, int start, byte[] wanted, byte type, boolean typed) {
        int end = start + intAt(doc, start) - 1;
        int pos = start + 4;
        while (pos < end) {
            byte t = doc[pos++];
            int nameStart = pos;
            while (doc[pos] != 0) {
                pos++;
            }
            boolean match = (!typed || t == type) && pos - nameStart == wanted.length
                && java.util.Arrays.equals(doc, nameStart, pos, wanted, 0, wanted.length);
            pos++;
            if (match) {
                return pos;
            }
            pos += valueSize(doc, t, pos);
        }
        return -1;
    }

    /** Whether a reply's top-level {@code ok} is the number 1 (as {@code Replies.isOk} reads it, without a reader). */
    public static boolean isOk(byte[] reply) {
        int end = intAt(reply, 0) - 1;
        int pos = 4;
        while (pos < end) {
            byte t = reply[pos++];
            boolean ok = reply[pos] == 'o' && reply[pos + 1] == 'k' && reply[pos + 2] == 0;
            while (reply[pos] != 0) {
                pos++;
            }
            pos++;
            if (ok) {
                return switch (t) {
                    case 0x01 -> Double.longBitsToDouble(longAt(reply, pos)) == 1.0;
                    case 0x10 -> intAt(reply, pos) == 1;
                    case 0x12 -> longAt(reply, pos) == 1;
                    default -> false;
                };
            }
            pos += valueSize(reply, t, pos);
        }
        return false;
    }

    /** The cursor id of a {@code {cursor: {id, ...}}} reply, or 0. */
    public static long cursorId(byte[] reply) {
        int cursor = find(reply, 0, "cursor", (byte) 0x03);
        if (cursor < 0) {
            return 0;
        }
        int id = find(reply, cursor, "id", (byte) 0x12);
        return id < 0 ? 0 : longAt(reply, id);
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

    /** The little-endian int32 at {@code at}. */
    public static int intAt(byte[] doc, int at) {
        return (doc[at] & 0xff) | (doc[at + 1] & 0xff) << 8 | (doc[at + 2] & 0xff) << 16 | (doc[at + 3] & 0xff) << 24;
    }

    /** Whether every char of {@code s} is ASCII, so that it has as many UTF-8 bytes as chars and compares byte for char. */
    public static boolean isAscii(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code value} as a little-endian int32 at {@code at}. */
    public static void putInt(byte[] doc, int at, int value) {
        doc[at] = (byte) value;
        doc[at + 1] = (byte) (value >>> 8);
        doc[at + 2] = (byte) (value >>> 16);
        doc[at + 3] = (byte) (value >>> 24);
    }

    /** The little-endian int64 at {@code at}. */
    public static long longAt(byte[] doc, int at) {
        return (intAt(doc, at) & 0xffffffffL) | (long) intAt(doc, at + 4) << 32;
    }

    /** The size of the value of a {@code type} element that starts at {@code pos}. */
    public static int valueSize(byte[] b, byte type, int pos) {
        return switch (type) {
            case 0x01, 0x09, 0x11, 0x12 -> 8;
            case 0x10 -> 4;
            case 0x13 -> 16;
            case 0x07 -> 12;
            case 0x08 -> 1;
            case 0x06, 0x0A, (byte) 0xFF, 0x7F -> 0;
            case 0x02, 0x0D, 0x0E -> 4 + intAt(b, pos);
            case 0x03, 0x04, 0x0F -> intAt(b, pos);
            case 0x05 -> 5 + intAt(b, pos);
            case 0x0B -> {
                int p = pos;
                while (b[p] != 0) {
                    p++;
                }
                p++;
                while (b[p] != 0) {
                    p++;
                }
                yield p + 1 - pos;
            }
            case 0x0C -> 4 + intAt(b, pos) + 12;
            default -> throw new IllegalArgumentException("unknown BSON type " + type);
        };
    }
}
