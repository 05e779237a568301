package io.shardstore.router.frontend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardstore.protocol.DocumentSequence;
import io.shardstore.protocol.OpMsg;
import io.shardstore.router.engine.BsonBytes;

/**
 * A client's command as the router sees it: the body as raw BSON (fields are read lazily, nothing is
 * decoded up front; where each top-level field starts is found once, see {@link BodyFields}), the document
 * sequences, and a copy of the sequences' bytes so a single-shard request can be forwarded without
 * re-encoding its documents.
 */
public final class RouterRequest {
    private final String name;
    private final String db;
    private final RawBsonDocument body;
    private final Map<String, List<RawBsonDocument>> sequences;
    private final ByteBuf rawSections;
    private final BodyFields fields;
    /** The client's connection offers its way back for the reply ({@link DirectReply}); null when it does not. */
    private DirectReply directReply;

    public RouterRequest(String name, String db, RawBsonDocument body, Map<String, List<RawBsonDocument>> sequences,
                         ByteBuf rawSections) {
        this(name, db, body, sequences, rawSections, BodyFields.of(BsonBytes.bytes(body)));
    }

    private RouterRequest(String name, String db, RawBsonDocument body, Map<String, List<RawBsonDocument>> sequences,
                          ByteBuf rawSections, BodyFields fields) {
        this.name = name;
        this.db = db;
        this.body = body;
        this.sequences = sequences;
        this.rawSections = rawSections;
        this.fields = fields;
    }

    public String name() {
        return name;
    }

    public String db() {
        return db;
    }

    public RawBsonDocument body() {
        return body;
    }

    public Map<String, List<RawBsonDocument>> sequences() {
        return sequences;
    }

    public ByteBuf rawSections() {
        return rawSections;
    }

    /** The way a shard's reply may go back to the client as it came, or null. */
    public DirectReply directReply() {
        return directReply;
    }

    /** Offers (or, with null, withdraws) the way a shard's reply may go back to the client as it came. */
    public void replyDirectly(DirectReply direct) {
        this.directReply = direct;
    }

    /** The body's top-level field names as bytes, in order (the command's name first): equal for equally named bodies. */
    public java.nio.ByteBuffer fieldNamesKey() {
        return fields.namesKey();
    }

    /** Whether the body has this top-level field (its value not read). */
    public boolean has(String field) {
        return fields.indexOf(field) >= 0;
    }

    /** A top-level field of the body (documents and arrays raw, over the body's bytes), or null. */
    public BsonValue value(String field) {
        return fields.value(field);
    }

    /** The session the request names ({@code lsid.id}) as the session registry keys it ({@link SessionKey}), or null. */
    public Object sessionKey() {
        return fields.sessionKey();
    }

    /** The names of the body's top-level fields, in order (document sequences not included: see {@link #sequences}). */
    public List<String> fieldNames() {
        return fields.names();
    }

    /** How many documents an array argument has, sent in the body or as a document sequence (0 when absent). */
    public int count(String field) {
        List<RawBsonDocument> seq = sequences.get(field);
        if (seq != null) {
            return seq.size();
        }
        return Math.max(0, fields.arrayLength(field));
    }

    public static RouterRequest of(OpMsg msg) {
        byte[] bytes = new byte[msg.body().readableBytes()];
        msg.body().getBytes(msg.body().readerIndex(), bytes);
        RawBsonDocument body = new RawBsonDocument(bytes);
        Map<String, List<RawBsonDocument>> sequences = msg.sequences().size() < 2 ? Map.of() : new LinkedHashMap<>();
        ByteBuf rawSections = null;
        if (!msg.sequences().isEmpty()) {
            // One array holds every section as it is forwarded (kind byte, size, identifier, documents), and each
            // document is read in place there: one copy of the sections, not one per document and one more to forward.
            int[] sizes = new int[msg.sequences().size()];
            int total = 0;
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = msg.sequences().get(i).size();
                total += 1 + sizes[i]; // the kind byte, then the section
            }
            byte[] copy = new byte[total];
            int at = 0;
            for (int i = 0; i < sizes.length; i++) {
                DocumentSequence seq = msg.sequences().get(i);
                copy[at++] = 1;
                BsonBytes.putInt(copy, at, sizes[i]);
                at += 4;
                byte[] identifier = seq.identifier().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                System.arraycopy(identifier, 0, copy, at, identifier.length);
                at += identifier.length + 1; // and its terminator, already 0
                List<RawBsonDocument> docs = new ArrayList<>(seq.documents().size());
                for (ByteBuf d : seq.documents()) {
                    int length = d.readableBytes();
                    d.getBytes(d.readerIndex(), copy, at, length);
                    docs.add(new RawBsonDocument(copy, at, length));
                    at += length;
                }
                if (sizes.length == 1) {
                    sequences = Map.of(seq.identifier(), docs); // the usual request: one sequence, no hash table
                } else {
                    sequences.put(seq.identifier(), docs);
                }
            }
            rawSections = Unpooled.wrappedBuffer(copy);
        }
        // Name and $db straight from the bytes: a RawBsonDocument lookup builds a reader and a string per field.
        BodyFields fields = BodyFields.of(bytes);
        return new RouterRequest(fields.firstName(), fields.string("$db"), body, sequences, rawSections, fields);
    }

    public static RawBsonDocument raw(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return new RawBsonDocument(bytes);
    }

    /** The command with its document sequences folded in as arrays (decoded; for multi-shard plans). */
    public BsonDocument command() {
        BsonDocument cmd = body.decode(new org.bson.codecs.BsonDocumentCodec());
        sequences.forEach((id, docs) -> cmd.put(id, new BsonArray(new ArrayList<BsonValue>(docs))));
        return cmd;
    }

    /** The documents of an array argument, whether sent in the body or as a document sequence. */
    public List<BsonDocument> documents(String field) {
        List<RawBsonDocument> seq = sequences.get(field);
        if (seq != null) {
            return new ArrayList<>(seq);
        }
        BsonValue v = fields.value(field);
        List<BsonDocument> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (BsonValue item : v.asArray()) {
                if (item.isDocument()) {
                    out.add(item.asDocument());
                }
            }
        }
        return out;
    }

    /** The collection named by the command's first field, or null. */
    public String collection() {
        return fields.string(name);
    }
}
