package io.shardstore.router.frontend;

import java.nio.charset.StandardCharsets;

import org.bson.BsonBoolean;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonArray;
import org.bson.RawBsonDocument;

import io.shardstore.router.engine.BsonBytes;

/**
 * Where each top-level field of a command body starts, found in one pass over its bytes when the request is read.
 * A command's handler asks for several fields (collection, filter, batch, options); a {@link RawBsonDocument}
 * lookup walks the body again for each and builds a string per field name it passes. Here a lookup compares the
 * recorded names' bytes and decodes only the value asked for. The body was validated by the wire decoder.
 */
final class BodyFields {
    private static final byte STRING = 0x02;
    private static final byte DOCUMENT = 0x03;
    private static final byte ARRAY = 0x04;
    private static final byte BINARY = 0x05;

    private final byte[] doc;
    private final int count;
    private final byte[] types;
    /** Per field: the name's first byte; the name ends at the value's start minus one (its terminator). */
    private final int[] names;
    private final int[] values;

    private BodyFields(byte[] doc, int count, byte[] types, int[] names, int[] values) {
        this.doc = doc;
        this.count = count;
        this.types = types;
        this.names = names;
        this.values = values;
    }

    static BodyFields of(byte[] doc) {
        int end = BsonBytes.intAt(doc, 0) - 1;
        byte[] types = new byte[12];
        int[] names = new int[12];
        int[] values = new int[12];
        int n = 0;
        int pos = 4;
        while (pos < end) {
            if (n == types.length) {
                types = java.util.Arrays.copyOf(types, n * 2);
                names = java.util.Arrays.copyOf(names, n * 2);
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            byte type = doc[pos++];
            names[n] = pos;
            while (doc[pos] != 0) {
                pos++;
            }
            pos++;
            types[n] = type;
            values[n] = pos;
            n++;
            pos += BsonBytes.valueSize(doc, type, pos);
        }
        return new BodyFields(doc, n, types, names, values);
    }

    /** The first field's name ("" for an empty body). */
    String firstName() {
        return count == 0 ? "" : new String(doc, names[0], values[0] - 1 - names[0], StandardCharsets.UTF_8);
    }

    /** The names of the top-level fields, in order. */
    java.util.List<String> names() {
        java.util.List<String> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new String(doc, names[i], values[i] - 1 - names[i], StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The top-level names' bytes, each with its terminating 0, in order: a key for what depends on the names alone. */
    java.nio.ByteBuffer namesKey() {
        int size = 0;
        for (int i = 0; i < count; i++) {
            size += values[i] - names[i];
        }
        byte[] key = new byte[size];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int length = values[i] - names[i];
            System.arraycopy(doc, names[i], key, at, length);
            at += length;
        }
        return java.nio.ByteBuffer.wrap(key);
    }

    /** The index of the first field so named, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < count; i++) {
            if (nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameIs(int i, String name) {
        int start = names[i];
        int length = values[i] - 1 - start;
        if (length != name.length()) {
            // an ASCII name has as many bytes as chars; other names are compared as strings below
            return length > name.length() && !BsonBytes.isAscii(name) && name.equals(new String(doc, start, length, StandardCharsets.UTF_8));
        }
        for (int k = 0; k < length; k++) {
            char c = name.charAt(k);
            if (c >= 0x80) {
                return name.equals(new String(doc, start, length, StandardCharsets.UTF_8));
            }
            if (doc[start + k] != (byte) c) {
                return false;
            }
        }
        return true;
    }

    /** A string field's value, or null when it is missing or not a string. */
    String string(String name) {
        int i = indexOf(name);
        if (i < 0 || types[i] != STRING) {
            return null;
        }
        return new String(doc, values[i] + 4, BsonBytes.intAt(doc, values[i]) - 1, StandardCharsets.UTF_8);
    }

    /** The field's value (documents and arrays stay raw, over the body's bytes), or null when it is missing. */
    BsonValue value(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        int at = values[i];
        return switch (types[i]) {
            case STRING -> new BsonString(new String(doc, at + 4, BsonBytes.intAt(doc, at) - 1, StandardCharsets.UTF_8));
            case DOCUMENT -> new RawBsonDocument(doc, at, BsonBytes.intAt(doc, at));
            case ARRAY -> new RawBsonArray(doc, at, BsonBytes.intAt(doc, at));
            case 0x01 -> new BsonDouble(Double.longBitsToDouble(BsonBytes.longAt(doc, at)));
            case 0x10 -> new BsonInt32(BsonBytes.intAt(doc, at));
            case 0x12 -> new BsonInt64(BsonBytes.longAt(doc, at));
            case 0x08 -> BsonBoolean.valueOf(doc[at] != 0);
            case 0x0A -> BsonNull.VALUE;
            default -> new RawBsonDocument(doc).get(name); // the rarer types: the driver's own decoding
        };
    }

    /**
     * The registry key of the {@code lsid} document's {@code id} (a session's UUID: {@link SessionKey}), read off the
     * bytes; null without one. Reading it through a raw document built a reader, looked up codecs and walked the
     * document twice, on every request.
     */
    Object sessionKey() {
        int i = indexOf("lsid");
        if (i < 0 || types[i] != DOCUMENT) {
            return null;
        }
        int at = values[i];
        int end = at + BsonBytes.intAt(doc, at) - 1;
        int pos = at + 4;
        while (pos < end) {
            byte type = doc[pos++];
            int name = pos;
            while (doc[pos] != 0) {
                pos++;
            }
            boolean isId = pos - name == 2 && doc[name] == 'i' && doc[name + 1] == 'd';
            pos++;
            if (isId) {
                SessionKey key = type == BINARY ? SessionKey.read(doc, doc[pos + 4], pos + 5, BsonBytes.intAt(doc, pos)) : null;
                // not a UUID: decoded as it is
                return key != null ? key : SessionKey.of(new RawBsonDocument(doc, at, BsonBytes.intAt(doc, at)).get("id"));
            }
            pos += BsonBytes.valueSize(doc, type, pos);
        }
        return null;
    }

    /** The number of elements of an array field, or -1 when it is missing or not an array. */
    int arrayLength(String name) {
        int i = indexOf(name);
        if (i < 0 || types[i] != ARRAY) {
            return -1;
        }
        int at = values[i];
        int end = at + BsonBytes.intAt(doc, at) - 1;
        int pos = at + 4;
        int n = 0;
        while (pos < end) {
            byte type = doc[pos++];
            while (doc[pos] != 0) {
                pos++;
            }
            pos++;
            pos += BsonBytes.valueSize(doc, type, pos);
            n++;
        }
        return n;
    }
}
