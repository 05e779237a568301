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
 * decoded up front), the document sequences, and a copy of the sequences' bytes so a single-shard
 * request can be forwarded without re-encoding its documents.
 */
public record RouterRequest(String name, String db, RawBsonDocument body, Map<String, List<RawBsonDocument>> sequences,
                            ByteBuf rawSections) {

    public static RouterRequest of(OpMsg msg) {
        byte[] bytes = new byte[msg.body().readableBytes()];
        msg.body().getBytes(msg.body().readerIndex(), bytes);
        RawBsonDocument body = new RawBsonDocument(bytes);
        Map<String, List<RawBsonDocument>> sequences = new LinkedHashMap<>();
        ByteBuf rawSections = null;
        if (!msg.sequences().isEmpty()) {
            rawSections = Unpooled.buffer();
            for (DocumentSequence seq : msg.sequences()) {
                List<RawBsonDocument> docs = new ArrayList<>(seq.documents().size());
                int size = 4 + seq.identifier().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
                for (ByteBuf d : seq.documents()) {
                    docs.add(raw(d));
                    size += d.readableBytes();
                }
                sequences.put(seq.identifier(), docs);
                rawSections.writeByte(1).writeIntLE(size).writeCharSequence(seq.identifier(), java.nio.charset.StandardCharsets.UTF_8);
                rawSections.writeByte(0);
                for (ByteBuf d : seq.documents()) {
                    rawSections.writeBytes(d, d.readerIndex(), d.readableBytes());
                }
            }
        }
        // Name and $db straight from the bytes: a RawBsonDocument lookup builds a reader and a string per field.
        return new RouterRequest(BsonBytes.firstKey(bytes), BsonBytes.string(bytes, "$db"), body, sequences, rawSections);
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
        BsonValue v = body.get(field);
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
        BsonValue v = body.get(name);
        return v != null && v.isString() ? v.asString().getValue() : null;
    }
}
