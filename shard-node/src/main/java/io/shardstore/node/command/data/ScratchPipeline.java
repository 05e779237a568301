package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardstore.engine.PipelineRewrite;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * Runs the stages after a collectionless first stage ({@code $documents}, {@code $currentOp},
 * {@code $listLocalSessions}) over the documents that stage produced, in a scratch engine of its own: nothing is
 * written to the node's data, journal or oplog. Stages that read or write collections cannot run there and are
 * refused (238) rather than joined with nothing.
 */
final class ScratchPipeline {
    private static final java.util.Set<String> NEEDS_COLLECTIONS = java.util.Set.of("$lookup", "$graphLookup", "$unionWith",
        "$out", "$merge");

    private ScratchPipeline() {
    }

    @SuppressWarnings("unchecked")
    static List<Document> run(String first, List<Document> input, List<?> stages) {
        for (Object stage : stages) {
            if (stage instanceof Document d && d.size() == 1 && NEEDS_COLLECTIONS.contains(d.keySet().iterator().next())) {
                throw Errors.of(ErrorCode.NotImplemented, d.keySet().iterator().next() + " after " + first
                    + " is not supported by this server");
            }
        }
        io.shardstore.engine.LeadingMatch.Result matched = io.shardstore.engine.LeadingMatch.apply(input, stages);
        input = matched.documents();
        stages = matched.rest();
        if (stages.isEmpty()) {
            return input;
        }
        MemoryBackend backend = new MemoryBackend();
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            backend.handleCommand(channel, "scratch", "create", new Document("create", "input"));
            // Wrapped: the documents may lack an _id (the engine would add one) or repeat one.
            List<Document> wrapped = new ArrayList<>();
            for (int i = 0; i < input.size(); i++) {
                wrapped.add(new Document("_id", i).append("doc", input.get(i)));
            }
            if (!wrapped.isEmpty()) {
                backend.handleCommand(channel, "scratch", "insert", new Document("insert", "input").append("documents", wrapped));
            }
            List<Object> pipeline = new ArrayList<>();
            pipeline.add(new Document("$sort", new Document("_id", 1)));
            pipeline.add(new Document("$replaceRoot", new Document("newRoot", "$doc")));
            pipeline.addAll(stages);
            Object rewritten = PipelineRewrite.pipeline(pipeline);
            Document reply = backend.handleCommand(channel, "scratch", "aggregate", new Document("aggregate", "input")
                .append("pipeline", rewritten).append("cursor", new Document()));
            List<Document> out = (List<Document>) ((Document) reply.get("cursor")).get("firstBatch");
            if (PipelineRewrite.holdsMarker(rewritten)) {
                PipelineRewrite.checkNoMarker(out);
            }
            return out;
        } finally {
            backend.close();
            channel.close();
        }
    }
}
