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
     * several sets, on every request (about 8 % of the router's samples on targeted reads). Only bodies whose verdict
     * depends on the names alone are kept: no document sequences, no statements, no collation or unsupported field.
     * Bounded: past {@link #ACCEPTED_LIMIT} shapes, new ones are checked in full every time.
     */
    private static final java.util.Set<java.nio.ByteBuffer> ACCEPTED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int ACCEPTED_LIMIT = 4_096;

    /** The refusal for the request, or null when every field is one its command honours. */
    static CommandSyntax.Refusal check(CommandSyntax.Syntax syntax, RouterRequest request) {
        if (!request.sequences().isEmpty() || !syntax.statements().isEmpty()) {
            return checkFully(syntax, request);
        }
        java.nio.ByteBuffer shape = request.fieldNamesKey();
        if (ACCEPTED.contains(shape)) {
            return null;
        }
        CommandSyntax.Refusal refusal = checkFully(syntax, request);
        if (refusal == null && ACCEPTED.size() < ACCEPTED_LIMIT && namesAlone(syntax, request)) {
            ACCEPTED.add(shape);
        }
        return refusal;
    }

    /** Whether the verdict on this body depends on its field names only (no field whose value is checked). */
    private static boolean namesAlone(CommandSyntax.Syntax syntax, RouterRequest request) {
        for (String name : request.fieldNames()) {
            if (name.equals("collation") || syntax.unsupported().contains(name)) {
                return false;
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
