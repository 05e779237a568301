package io.shardstore.router.command;

import java.util.List;
import java.util.Map;

import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;

import io.shardstore.protocol.CommandSyntax;
import io.shardstore.router.frontend.RouterRequest;

/**
 * Checks a client's request against its command's declared syntax ({@link CommandSyntax}, the table the shard nodes
 * check too) before the router plans it, as mongos's parser does: a field no one would honour is refused at the
 * command level (40415 / 238), never forwarded to be ignored, and never turned into one write error per shard. Only
 * the field names are read (and the values of the few fields whose value decides: collation, unsupported options),
 * over the request's bytes: the single-shard path still forwards the body as it came.
 */
final class SyntaxCheck {
    private static final DecoderContext DECODE = DecoderContext.builder().build();

    /**
     * Fields only a router sends a shard: {@code sampleId} (the id of a sampled update, for the shard's
     * config.sampledQueriesDiff). From a client they are unknown, as on mongos: a client must not file diffs under ids
     * of its choosing.
     */
    private static final java.util.Set<String> INTERNAL = java.util.Set.of("sampleId");

    private SyntaxCheck() {
    }

    private static CommandSyntax.Refusal internal(String path, String name) {
        return INTERNAL.contains(name) ? CommandSyntax.checkField(path, name, null, java.util.Set.of(), java.util.Set.of()) : null;
    }

    /**
     * The field-name lists found acceptable before, as bytes (the command's name is the first): a driver sends the same
     * few shapes of each command over and over, and checking one again built a string per field and looked each up in
     * several sets, on every request (about 8 % of the router's samples on targeted reads). Only requests whose verdict
     * depends on the names alone are kept: no collation or unsupported field in the body or in a statement, no
     * statements in the body, at most {@link #KEYED_STATEMENTS} in document sequences (their names are in the key).
     * Bounded: past {@link #ACCEPTED_LIMIT} shapes, new ones are checked in full every time.
     */
    private static final java.util.Set<java.nio.ByteBuffer> ACCEPTED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int ACCEPTED_LIMIT = 4_096;

    /** The refusal for the request, or null when every field is one its command honours. */
    static CommandSyntax.Refusal check(CommandSyntax.Syntax syntax, RouterRequest request) {
        java.nio.ByteBuffer shape = shape(syntax, request);
        if (shape == null) {
            return checkFully(syntax, request);
        }
        if (ACCEPTED.contains(shape)) {
            return null;
        }
        CommandSyntax.Refusal refusal = checkFully(syntax, request);
        if (refusal == null && ACCEPTED.size() < ACCEPTED_LIMIT && namesAlone(syntax, request)) {
            ACCEPTED.add(shape);
        }
        return refusal;
    }

    /** Statements in document sequences whose names are keyed; past this many a request is checked in full. */
    private static final int KEYED_STATEMENTS = 8;

    /**
     * The request's shape: the body's field names, then, per document sequence, its identifier and each statement's
     * field names (a driver's updateOne and deleteOne send one statement in a sequence); null when it cannot be keyed
     * (statements in the body, or too many).
     */
    private static java.nio.ByteBuffer shape(CommandSyntax.Syntax syntax, RouterRequest request) {
        java.nio.ByteBuffer body = request.fieldNamesKey();
        if (request.sequences().isEmpty()) {
            for (String field : syntax.statements().keySet()) {
                if (request.has(field)) {
                    return null;
                }
            }
            return body;
        }
        // An unpooled heap buffer: its writes take no lock, as ByteArrayOutputStream's did, one per name.
        io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer(body.remaining() + 64);
        out.writeBytes(body.array(), body.arrayOffset() + body.position(), body.remaining());
        int statements = 0;
        for (Map.Entry<String, List<RawBsonDocument>> sequence : request.sequences().entrySet()) {
            if (syntax.statements().containsKey(sequence.getKey()) && request.has(sequence.getKey())) {
                return null; // the same array twice: checked in full (the node refuses it)
            }
            out.writeByte(0xFF);
            out.writeCharSequence(sequence.getKey(), java.nio.charset.StandardCharsets.UTF_8);
            out.writeByte(0);
            if (!syntax.statements().containsKey(sequence.getKey())) {
                continue; // documents to insert: their names are the user's data, not checked
            }
            for (RawBsonDocument d : sequence.getValue()) {
                if (++statements > KEYED_STATEMENTS) {
                    return null;
                }
                appendNames(out, d);
                out.writeByte(0xFE);
            }
        }
        return java.nio.ByteBuffer.wrap(out.array(), out.arrayOffset(), out.writerIndex());
    }

    /** A document's top-level names' bytes, each with its terminating 0, read off its bytes. */
    private static void appendNames(io.netty.buffer.ByteBuf out, RawBsonDocument d) {
        java.nio.ByteBuffer bb = d.getByteBuffer().asNIO();
        byte[] doc = bb.array();
        int start = bb.arrayOffset() + bb.position();
        int end = start + io.shardstore.router.engine.BsonBytes.intAt(doc, start) - 1;
        int pos = start + 4;
        while (pos < end) {
            byte type = doc[pos++];
            int name = pos;
            while (doc[pos] != 0) {
                pos++;
            }
            pos++;
            out.writeBytes(doc, name, pos - name);
            pos += io.shardstore.router.engine.BsonBytes.valueSize(doc, type, pos);
        }
    }

    /**
     * Whether the verdict on this request depends on its field names only (no field whose value is checked: a
     * collation or an unsupported option, in the body or in a statement).
     */
    private static boolean namesAlone(CommandSyntax.Syntax syntax, RouterRequest request) {
        for (String name : request.fieldNames()) {
            if (name.equals("collation") || syntax.unsupported().contains(name)) {
                return false;
            }
        }
        for (Map.Entry<String, List<RawBsonDocument>> sequence : request.sequences().entrySet()) {
            CommandSyntax.Statement statement = syntax.statements().get(sequence.getKey());
            if (statement == null) {
                continue;
            }
            for (RawBsonDocument d : sequence.getValue()) {
                for (String name : d.keySet()) {
                    if (name.equals("collation") || statement.unsupported().contains(name)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static CommandSyntax.Refusal checkFully(CommandSyntax.Syntax syntax, RouterRequest request) {
        for (String name : request.fieldNames()) {
            Object value = name.equals("collation") || syntax.unsupported().contains(name) ? request.value(name) : null;
            CommandSyntax.Refusal refusal = internal(syntax.command(), name);
            if (refusal == null) {
                refusal = CommandSyntax.checkTopLevel(syntax, name, value);
            }
            if (refusal == null) {
                refusal = statements(syntax, name, request);
            }
            if (refusal != null) {
                return refusal;
            }
        }
        for (String name : request.sequences().keySet()) {
            CommandSyntax.Refusal refusal = CommandSyntax.checkTopLevel(syntax, name, null);
            if (refusal == null) {
                refusal = statements(syntax, name, request);
            }
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    private static CommandSyntax.Refusal statements(CommandSyntax.Syntax syntax, String name, RouterRequest request) {
        CommandSyntax.Statement statement = syntax.statements().get(name);
        if (statement == null) {
            return null;
        }
        String path = syntax.command() + "." + name;
        List<RawBsonDocument> sequence = request.sequences().get(name);
        if (sequence != null) {
            for (RawBsonDocument d : sequence) {
                CommandSyntax.Refusal refusal = statement(path, statement, d);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        }
        BsonValue array = request.value(name);
        if (array != null && array.isArray()) {
            for (BsonValue element : array.asArray()) {
                if (element instanceof RawBsonDocument d) {
                    CommandSyntax.Refusal refusal = statement(path, statement, d);
                    if (refusal != null) {
                        return refusal;
                    }
                } else if (element.isDocument()) {
                    for (Map.Entry<String, BsonValue> e : element.asDocument().entrySet()) {
                        CommandSyntax.Refusal refusal = internal(path, e.getKey());
                        if (refusal == null) {
                            refusal = CommandSyntax.checkField(path, e.getKey(), e.getValue(), statement.accepted(), statement.unsupported());
                        }
                        if (refusal != null) {
                            return refusal;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** One statement's field names, read without decoding its values (but a collation's or an unsupported field's). */
    private static CommandSyntax.Refusal statement(String path, CommandSyntax.Statement statement, RawBsonDocument d) {
        try (BsonBinaryReader reader = new BsonBinaryReader(d.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                Object value = null;
                if ((name.equals("collation") || statement.unsupported().contains(name)) && reader.getCurrentBsonType() == BsonType.DOCUMENT) {
                    value = new BsonDocumentCodec().decode(reader, DECODE);
                } else {
                    reader.skipValue();
                }
                CommandSyntax.Refusal refusal = internal(path, name);
                if (refusal == null) {
                    refusal = CommandSyntax.checkField(path, name, value, statement.accepted(), statement.unsupported());
                }
                if (refusal != null) {
                    return refusal;
                }
            }
        }
        return null;
    }
}
