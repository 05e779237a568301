package io.shardstore.engine;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The {@code $match} stages at the head of a pipeline, applied to documents directly with the engine's matcher. For
 * pipelines over documents a server made itself ({@code $currentOp}, {@code $listLocalSessions}): those hold field
 * names that start with "$" (a command's {@code $db}), which the engine would read as expressions if the documents
 * went through a pipeline stage first; a filter only compares them. The usual pipelines (mongosh's
 * {@code db.currentOp(filter)}) are exactly such a stage and a {@code $match}.
 */
public final class LeadingMatch {
    /** The documents that passed, and the stages left to run. */
    public record Result(List<Document> documents, List<?> rest) {
    }

    private LeadingMatch() {
    }

    public static Result apply(List<Document> documents, List<?> stages) {
        List<Document> passed = documents;
        int next = 0;
        while (next < stages.size() && stages.get(next) instanceof Document stage && stage.size() == 1
            && stage.get("$match") instanceof Document filter) {
            List<Document> kept = new ArrayList<>();
            for (Document d : passed) {
                if (new DefaultQueryMatcher().matches(d, filter)) {
                    kept.add(d);
                }
            }
            passed = kept;
            next++;
        }
        return new Result(passed, stages.subList(next, stages.size()));
    }
}
