package io.shardstore.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Structure-aware random mutation of wire messages: a corpus of valid requests (OP_MSG with a body and document
 * sequences, OP_QUERY handshakes, OP_COMPRESSED, removed opcodes) mutated by bit flips, interesting bytes and int32s
 * written over fields, truncation, insertion and duplication; most results get their header length fixed, so the
 * decoder and the command layer behind it see them rather than only the frame cutter.
 */
final class WireMutator {
    private static final int[] INTERESTING_INTS = {0, 1, -1, 4, 5, 16, 20, 21, 127, 128, 255, 256, 0x7fff, 0x8000, 0xffff,
        16 * 1024 * 1024, 16 * 1024 * 1024 + 1, 48_000_000, 48_000_001, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final byte[] INTERESTING_BYTES = {0, 1, 2, 3, 4, 5, 7, 8, 0x0A, 0x10, 0x11, 0x12, 0x13, 0x7f, (byte) 0x80,
        (byte) 0xff, (byte) 0xfe, '$', '.'};

    private final Random random;
    private final List<byte[]> corpus = new ArrayList<>();

    WireMutator(long seed) {
        this.random = new Random(seed);
        String db = "fz";
        BsonDocument[] bodies = {
            doc("ping", 1).append("$db", new BsonString("admin")),
            doc("hello", 1).append("helloOk", BsonBoolean.TRUE).append("$db", new BsonString("admin")),
            new BsonDocument("find", new BsonString("c")).append("filter", new BsonDocument("a", doc("$gt", 1)))
                .append("sort", doc("a", -1)).append("limit", new BsonInt32(5)).append("$db", new BsonString(db)),
            new BsonDocument("insert", new BsonString("c")).append("documents", new BsonArray(List.of(
                new BsonDocument("_id", new BsonInt32(1)).append("a", new BsonString("x"))))).append("$db", new BsonString(db)),
            new BsonDocument("update", new BsonString("c")).append("updates", new BsonArray(List.of(
                new BsonDocument("q", doc("_id", 1)).append("u", new BsonDocument("$set", doc("a", 2)))))).append("$db", new BsonString(db)),
            new BsonDocument("delete", new BsonString("c")).append("deletes", new BsonArray(List.of(
                new BsonDocument("q", doc("a", 1)).append("limit", new BsonInt32(1))))).append("$db", new BsonString(db)),
            new BsonDocument("aggregate", new BsonString("c")).append("pipeline", new BsonArray(List.of(
                new BsonDocument("$match", doc("a", 1)), new BsonDocument("$group", new BsonDocument("_id", new BsonString("$a"))
                    .append("n", doc("$sum", 1)))))).append("cursor", new BsonDocument()).append("$db", new BsonString(db)),
            new BsonDocument("count", new BsonString("c")).append("query", new BsonDocument()).append("$db", new BsonString(db)),
            new BsonDocument("distinct", new BsonString("c")).append("key", new BsonString("a")).append("$db", new BsonString(db)),
            new BsonDocument("createIndexes", new BsonString("c")).append("indexes", new BsonArray(List.of(
                new BsonDocument("key", doc("a", 1)).append("name", new BsonString("a_1"))))).append("$db", new BsonString(db)),
            new BsonDocument("getMore", new BsonInt64(12)).append("collection", new BsonString("c")).append("$db", new BsonString(db)),
            new BsonDocument("killCursors", new BsonString("c")).append("cursors", new BsonArray(List.of(new BsonInt64(1))))
                .append("$db", new BsonString(db)),
            doc("listCollections", 1).append("$db", new BsonString(db)),
            new BsonDocument("explain", new BsonDocument("find", new BsonString("c"))).append("$db", new BsonString(db)),
            new BsonDocument("findAndModify", new BsonString("c")).append("query", new BsonDocument())
                .append("update", new BsonDocument("$inc", doc("n", 1))).append("$db", new BsonString(db)),
            new BsonDocument("saslStart", new BsonInt32(1)).append("mechanism", new BsonString("SCRAM-SHA-256"))
                .append("payload", new BsonBinary("n,,n=u,r=abc".getBytes())).append("$db", new BsonString("admin")),
            new BsonDocument("listIndexes", new BsonString("c")).append("$db", new BsonString(db)),
        };
        int id = 1;
        for (BsonDocument body : bodies) {
            corpus.add(opMsg(id++, 0, bytes(body), null));
        }
        // An insert with its documents as a document sequence (kind 1), as drivers send it.
        byte[] seqDocs = concat(bytes(doc("_id", 7)), bytes(new BsonDocument("_id", new BsonInt32(8)).append("b", new BsonString("y"))));
        corpus.add(opMsg(id++, 0, bytes(new BsonDocument("insert", new BsonString("c")).append("$db", new BsonString(db))),
            section("documents", seqDocs)));
        corpus.add(opQuery(id++, "admin.$cmd", bytes(doc("isMaster", 1))));
        corpus.add(compressed(opMsg(id++, 0, bytes(doc("ping", 1).append("$db", new BsonString("admin"))), null)));
        corpus.add(legacy(id, 2004)); // OP_QUERY-era opcodes the server refuses
    }

    /** A mutated input: usually well framed (header length = size), sometimes not. */
    byte[] next() {
        byte[] input = corpus.get(random.nextInt(corpus.size())).clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            input = mutate(input);
        }
        if (input.length >= 4 && random.nextInt(10) < 8) {
            ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).putInt(0, input.length);
        }
        return input;
    }

    private byte[] mutate(byte[] in) {
        if (in.length == 0) {
            return new byte[] {(byte) random.nextInt()};
        }
        switch (random.nextInt(8)) {
            case 0 -> {
                int at = random.nextInt(in.length);
                in[at] ^= (byte) (1 << random.nextInt(8));
                return in;
            }
            case 1 -> {
                in[random.nextInt(in.length)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                return in;
            }
            case 2, 3 -> {
                if (in.length < 4) {
                    return in;
                }
                // Over an int32 somewhere: header fields, BSON and section lengths, string lengths, counts.
                int at = random.nextInt(in.length - 3);
                int value = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                if (random.nextBoolean()) {
                    value = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getInt(at) + random.nextInt(9) - 4;
                }
                ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
                return in;
            }
            case 4 -> {
                return Arrays.copyOf(in, random.nextInt(in.length));
            }
            case 5 -> {
                int at = random.nextInt(in.length + 1);
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                return concat(Arrays.copyOf(in, at), extra, Arrays.copyOfRange(in, at, in.length));
            }
            case 6 -> {
                int from = random.nextInt(in.length);
                int to = Math.min(in.length, from + 1 + random.nextInt(64));
                int at = random.nextInt(in.length + 1);
                return concat(Arrays.copyOf(in, at), Arrays.copyOfRange(in, from, to), Arrays.copyOfRange(in, at, in.length));
            }
            default -> {
                // The flags of an OP_MSG: checksumPresent, moreToCome, exhaustAllowed, unknown required bits.
                if (in.length >= 20) {
                    int[] flags = {0, 1, 2, 1 << 16, 3, 1 << 15};
                    ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).putInt(16, flags[random.nextInt(flags.length)]);
                }
                return in;
            }
        }
    }

    static BsonDocument doc(String key, int value) {
        return new BsonDocument(key, new BsonInt32(value));
    }

    static byte[] bytes(BsonDocument doc) {
        ByteBuffer bb = new RawBsonDocument(doc, new BsonDocumentCodec()).getByteBuffer().asNIO();
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] opMsg(int requestId, int flags, byte[] body, byte[] sequence) {
        byte[] seq = sequence == null ? new byte[0] : sequence;
        ByteBuffer b = ByteBuffer.allocate(21 + body.length + seq.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(21 + body.length + seq.length).putInt(requestId).putInt(0).putInt(2013).putInt(flags).put((byte) 0).put(body).put(seq);
        return b.array();
    }

    private static byte[] section(String identifier, byte[] docs) {
        byte[] id = identifier.getBytes();
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + id.length + 1 + docs.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).putInt(4 + id.length + 1 + docs.length).put(id).put((byte) 0).put(docs);
        return b.array();
    }

    private static byte[] opQuery(int requestId, String ns, byte[] query) {
        byte[] name = ns.getBytes();
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + name.length + 1 + 8 + query.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(b.capacity()).putInt(requestId).putInt(0).putInt(2004).putInt(0).put(name).put((byte) 0).putInt(0).putInt(-1).put(query);
        return b.array();
    }

    /** OP_COMPRESSED with the noop compressor (id 0) around a message. */
    private static byte[] compressed(byte[] message) {
        ByteBuffer original = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        int payload = message.length - 16;
        ByteBuffer b = ByteBuffer.allocate(16 + 9 + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(b.capacity()).putInt(original.getInt(4)).putInt(0).putInt(2012)
            .putInt(original.getInt(12)).putInt(payload).put((byte) 0).put(message, 16, payload);
        return b.array();
    }

    private static byte[] legacy(int requestId, int opCode) {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(24).putInt(requestId).putInt(0).putInt(opCode == 2004 ? 2002 : opCode).putInt(0).putInt(0);
        return b.array();
    }
}
