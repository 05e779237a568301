package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.command.Operations;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.SessionRegistry;

/**
 * {@code aggregate: 1}, a pipeline on a database rather than a collection, as mongod runs it: its first stage makes
 * the documents ({@code $documents}: the given ones; {@code $currentOp}: the requests running now, admin only;
 * {@code $listLocalSessions}: the sessions seen), and the rest of the pipeline runs over them
 * ({@link ScratchPipeline}).
 */
final class DatabaseAggregate {

    private DatabaseAggregate() {
    }

    static Document run(CommandContext ctx) {
        List<?> stages = ctx.body().get("pipeline") instanceof List<?> p ? p : List.of();
        Document first = !stages.isEmpty() && stages.get(0) instanceof Document d && d.size() == 1 ? d : null;
        String name = first == null ? "" : first.keySet().iterator().next();
        List<Document> input = switch (name) {
            case "$documents" -> documents(first.get(name));
            case "$currentOp" -> {
                if (!"admin".equals(ctx.db())) {
                    throw Errors.of(ErrorCode.InvalidNamespace,
                        "$currentOp must be run against the 'admin' database with {aggregate: 1}");
                }
                yield currentOp(ctx, first.get(name));
            }
            case "$listLocalSessions" -> localSessions(ctx);
            default -> throw Errors.of(ErrorCode.InvalidNamespace, "{aggregate: 1} is not valid for '"
                + (name.isEmpty() ? "an empty pipeline" : name) + "'; a collection is required.");
        };
        List<Document> out = ScratchPipeline.run(name, input, stages.subList(1, stages.size()));
        Document reply = new Document("cursor", new Document("firstBatch", out).append("id", 0L)
            .append("ns", ctx.db() + ".$cmd.aggregate")).append("ok", 1.0);
        Integer batchSize = ctx.body().get("cursor") instanceof Document c ? FirstBatch.batchSize(c.get("batchSize")) : null;
        if (batchSize != null) {
            FirstBatch.cut(ctx, reply, batchSize);
        }
        return reply;
    }

    private static List<Document> documents(Object value) {
        List<Document> docs = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Document d)) {
                    throw Errors.location(5858203, "an array is expected: every element of $documents must be an object");
                }
                docs.add(d);
            }
            return docs;
        }
        // mongod also takes an expression that evaluates to an array; only the literal array is done here.
        throw Errors.of(ErrorCode.NotImplemented, "$documents takes a literal array of documents here; an expression is not supported");
    }

    private static List<Document> currentOp(CommandContext ctx, Object spec) {
        Document options = spec instanceof Document d ? d : new Document();
        for (String flag : List.of("idleConnections", "idleSessions", "idleCursors", "localOps", "backtrace")) {
            if (Boolean.TRUE.equals(options.get(flag))) {
                throw Errors.of(ErrorCode.NotImplemented, "$currentOp option " + flag + ": true is not supported by this server");
            }
        }
        List<Document> ops = new ArrayList<>();
        long now = System.nanoTime();
        for (Operations.Operation op : ctx.node().operations().running()) {
            CommandContext c = op.ctx();
            long micros = (now - op.startedNanos()) / 1000;
            Document doc = new Document("type", "op").append("host", "127.0.0.1:" + ctx.node().options().port())
                .append("desc", "conn" + (c.connection() == null ? 0 : c.connection().connectionId()))
                .append("connectionId", c.connection() == null ? 0 : (int) c.connection().connectionId())
                .append("client", c.channel() == null ? "" : String.valueOf(c.channel().remoteAddress()).replaceFirst("^/", ""));
            if (c.connection() != null && c.connection().appName() != null) {
                doc.append("appName", c.connection().appName());
            }
            if (c.body().get("lsid") instanceof Document lsid) {
                doc.append("lsid", lsid);
            }
            doc.append("active", true).append("currentOpTime", java.time.Instant.ofEpochMilli(op.startedMillis()).toString())
                .append("opid", op.opid()).append("secs_running", micros / 1_000_000).append("microsecs_running", micros)
                .append("op", opType(c.name())).append("ns", c.body().get(c.name()) instanceof String coll ? c.db() + "." + coll
                    : c.db() + ".$cmd" + (c.name().equals("aggregate") ? ".aggregate" : ""))
                .append("command", snapshot(c));
            ops.add(doc);
        }
        ops.addAll(ctx.node().operations().backgroundEntries());
        return ops;
    }

    /**
     * A copy of a running request's command. Handlers may change their request while it runs (on the storage thread or
     * an event loop): a copy that meets a change is retried, and after a few tries only the command's name is shown.
     */
    private static Document snapshot(CommandContext c) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return c.body().cloneDeeply();
            } catch (java.util.ConcurrentModificationException | IllegalStateException e) {
                // changed while copied: try again
            }
        }
        return new Document(c.name(), c.body().get(c.name()));
    }

    private static String opType(String command) {
        return switch (command) {
            case "insert" -> "insert";
            case "update" -> "update";
            case "delete" -> "remove";
            case "find" -> "query";
            case "getMore" -> "getmore";
            default -> "command";
        };
    }

    private static List<Document> localSessions(CommandContext ctx) {
        byte[] uid = SessionRegistry.anonymousUid();
        List<Document> out = new ArrayList<>();
        ctx.node().sessions().live().forEach((id, lastUse) -> out.add(new Document("_id", new Document("id", id)
            .append("uid", new de.bwaldvogel.mongo.bson.BinData(uid))).append("lastUse", java.time.Instant.ofEpochMilli(lastUse))));
        return out;
    }
}
