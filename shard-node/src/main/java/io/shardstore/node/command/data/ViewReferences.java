package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * Views named inside a pipeline. The engine knows no views: a {@code $lookup}, {@code $graphLookup} or
 * {@code $unionWith} from a view would read an empty collection, a silent wrong answer, so it is refused (238) until
 * views are resolved there; {@code $out} / {@code $merge} into a view is mongod's 166.
 */
final class ViewReferences {

    private ViewReferences() {
    }

    static void check(CommandContext ctx, Object pipeline) {
        if (!(pipeline instanceof List<?> stages)) {
            return;
        }
        for (Object stage : stages) {
            if (stage instanceof Document d && d.size() == 1) {
                String name = d.keySet().iterator().next();
                Object spec = d.get(name);
                switch (name) {
                    case "$lookup", "$graphLookup" -> {
                        if (spec instanceof Document s) {
                            read(ctx, name, s.get("from"));
                            check(ctx, s.get("pipeline"));
                        }
                    }
                    case "$unionWith" -> {
                        if (spec instanceof Document s) {
                            read(ctx, name, s.get("coll"));
                            check(ctx, s.get("pipeline"));
                        } else {
                            read(ctx, name, spec);
                        }
                    }
                    case "$facet" -> {
                        if (spec instanceof Document facets) {
                            facets.values().forEach(p -> check(ctx, p));
                        }
                    }
                    case "$out", "$merge" -> {
                        Object into = spec instanceof Document s ? s.get("$out".equals(name) ? "coll" : "into") : spec;
                        if (into instanceof String coll && ctx.node().storage().views().isView(ctx.db(), coll)) {
                            throw Errors.of(ErrorCode.CommandNotSupportedOnView, "Namespace " + ctx.db() + "." + coll
                                + " is a view, not a collection");
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private static void read(CommandContext ctx, String stage, Object from) {
        if (from instanceof String coll && ctx.node().storage().views().isView(ctx.db(), coll)) {
            throw Errors.of(ErrorCode.NotImplemented, stage + " from the view " + ctx.db() + "." + coll
                + " is not supported here (views are read by find, count, distinct and aggregate on the view itself)");
        }
    }
}
