package io.shardstore.node.command;

import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.engine.ViewRewrite;
import io.shardstore.node.storage.ViewCatalog;
import io.shardstore.protocol.ErrorCode;

/**
 * Requests that name a view, as mongod answers them: a read (find, count, distinct, aggregate) runs as the aggregate
 * on the view's collection with the view's pipeline first ({@link ViewRewrite}); a command that needs a collection is
 * {@code 166 CommandNotSupportedOnView}. A read a router sends (it carries a shard version) is answered with
 * {@code 169 CommandOnShardedViewNotSupportedOnMongod} and the resolved view instead: the view's collection may be
 * sharded, and only the router can read all of it.
 */
final class ViewRequests {
    /** Commands on a collection that a view cannot take (the catalog commands about views are answered by the catalog). */
    private static final Set<String> NOT_ON_VIEWS = Set.of("insert", "update", "delete", "findAndModify", "findandmodify",
        "createIndexes", "dropIndexes", "deleteIndexes", "listIndexes", "collStats", "validate", "_shardsvrMigrationCapture",
        "_shardsvrCriticalSection", "_shardsvrRetryableStatus");

    private ViewRequests() {
    }

    /** The handler for a request on a view, or null when the request does not name one. */
    static Command forRequest(CommandContext ctx, CommandRegistry registry) {
        boolean read = ViewRewrite.READS.contains(ctx.name());
        if (!read && !NOT_ON_VIEWS.contains(ctx.name())) {
            return null;
        }
        if (!(ctx.body().get(ctx.name()) instanceof String coll) || !ctx.node().storage().views().isView(ctx.db(), coll)) {
            return null;
        }
        String ns = ctx.db() + "." + coll;
        if (!read) {
            return answer(Errors.reply(ErrorCode.CommandNotSupportedOnView, "Namespace " + ns + " is a view, not a collection"));
        }
        if (ctx.body().containsKey("shardVersion")) {
            ViewCatalog.Resolved resolved = ctx.node().storage().views().resolve(ctx.db(), coll);
            Document reply = Errors.reply(ErrorCode.CommandOnShardedViewNotSupportedOnMongod,
                "Resolved views on sharded collections must be executed by mongos");
            reply.put("resolvedView", new Document("ns", ctx.db() + "." + resolved.collection())
                .append("pipeline", resolved.pipeline()));
            return answer(reply);
        }
        return new Read(registry.find("aggregate"));
    }

    private static Command answer(Document reply) {
        return new Command() {
            @Override
            public String name() {
                return "view";
            }

            @Override
            public boolean inline() {
                return true;
            }

            @Override
            public Document run(CommandContext ctx) {
                return reply;
            }
        };
    }

    /** A read of a view: the aggregate over its collection, its reply shaped as the read's. On the storage thread. */
    private static final class Read implements Command {
        private final Command aggregate;

        Read(Command aggregate) {
            this.aggregate = aggregate;
        }

        @Override
        public String name() {
            return "viewRead";
        }

        @Override
        public Document run(CommandContext ctx) {
            String coll = (String) ctx.body().get(ctx.name());
            ViewCatalog.Resolved resolved = ctx.node().storage().views().resolve(ctx.db(), coll);
            if (resolved == null) {
                throw Errors.of(ErrorCode.NamespaceNotFound, "view " + ctx.db() + "." + coll + " was dropped");
            }
            Document body = ViewRewrite.toAggregate(ctx.name(), ctx.body(), resolved.collection(), resolved.pipeline());
            boolean singleBatch = Boolean.TRUE.equals(ctx.body().get("singleBatch"));
            Document reply = aggregate.run(new CommandContext("aggregate", ctx.db(), body, ctx.connection(), ctx.node()));
            if (!(reply.get("ok") instanceof Number ok) || ok.doubleValue() != 1.0) {
                return reply;
            }
            Document shaped = ViewRewrite.fromAggregate(ctx.name(), reply, ctx.db() + "." + coll);
            if (singleBatch && shaped.get("cursor") instanceof Document cursor && cursor.get("id") instanceof Number id
                && id.longValue() != 0) {
                // singleBatch: the first batch is all there is; the aggregate's cursor is closed, not left behind.
                ctx.node().storage().run(ctx.channel(), ctx.db(), "killCursors",
                    new Document("killCursors", coll).append("cursors", List.of(id.longValue())));
                cursor.put("id", 0L);
            }
            return shaped;
        }
    }
}
