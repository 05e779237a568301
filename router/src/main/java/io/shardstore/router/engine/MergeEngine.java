package io.shardstore.router.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardstore.router.command.RouterError;

/**
 * Runs the merge half of a split aggregation at the router, with the same embedded engine the shard
 * nodes use: the shards' outputs (and any collection a $lookup reads) are loaded into a scratch
 * database and the remaining stages run there. One thread, off the event loops.
 */
public final class MergeEngine implements AutoCloseable {
    private final MemoryBackend backend = new MemoryBackend();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aggregate-merge");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong scratch = new AtomicLong();
    private static final String WRAPPED = "doc";

    /** Runs {@code pipeline} over {@code input}; {@code foreign} are collections ($lookup sources) by name. */
    public CompletableFuture<List<BsonDocument>> run(List<BsonDocument> input, List<BsonDocument> pipeline,
                                                     Map<String, List<BsonDocument>> foreign) {
        return CompletableFuture.supplyAsync(() -> {
            String db = "merge" + scratch.incrementAndGet();
            try {
                load(db, "input", input, true);
                foreign.forEach((name, docs) -> load(db, name, docs, false));
                List<Document> stages = new ArrayList<>();
                // Inputs are stored wrapped (their _ids may repeat across shards, e.g. partial $group keys).
                stages.add(new Document("$replaceRoot", new Document("newRoot", "$" + WRAPPED)));
                pipeline.forEach(s -> stages.add(toEngine(s)));
                // What the engine gets wrong ($switch, dotted $project paths), as on the shard nodes.
                Object rewritten = io.shardstore.engine.PipelineRewrite.pipeline(stages);
                Document reply = backend.handleCommand(channel, db, "aggregate", new Document("aggregate", "input")
                    .append("pipeline", rewritten).append("cursor", new Document()).append("$db", db));
                @SuppressWarnings("unchecked")
                List<Document> out = (List<Document>) ((Document) reply.get("cursor")).get("firstBatch");
                if (io.shardstore.engine.PipelineRewrite.holdsMarker(rewritten)) {
                    io.shardstore.engine.PipelineRewrite.checkNoMarker(out);
                }
                List<BsonDocument> results = new ArrayList<>(out.size());
                for (Document d : out) {
                    results.add(fromEngine(d));
                }
                return results;
            } catch (MongoServerError e) {
                throw new RouterError(e.getCode(), e.getCodeName() == null ? "Location" + e.getCode() : e.getCodeName(), e.getMessageWithoutErrorCode());
            } finally {
                backend.dropDatabase(db);
            }
        }, thread);
    }

    private void load(String db, String coll, List<BsonDocument> docs, boolean wrap) {
        backend.handleCommand(channel, db, "create", new Document("create", coll));
        for (int i = 0; i < docs.size(); i += 10_000) {
            List<Document> batch = new ArrayList<>();
            for (BsonDocument d : docs.subList(i, Math.min(docs.size(), i + 10_000))) {
                Document e = toEngine(d);
                batch.add(wrap ? new Document("_id", new de.bwaldvogel.mongo.bson.ObjectId()).append(WRAPPED, e) : e);
            }
            backend.handleCommand(channel, db, "insert", new Document("insert", coll).append("documents", batch).append("ordered", true));
        }
    }

    public static Document toEngine(BsonDocument doc) {
        RawBsonDocument raw = doc instanceof RawBsonDocument r ? r : new RawBsonDocument(doc, new BsonDocumentCodec());
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(BsonBytes.bytes(raw)));
    }

    public static BsonDocument fromEngine(Document doc) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(doc, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return new RawBsonDocument(bytes);
        } finally {
            buf.release();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
