package io.shardstore.node.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * getMore on a tailable cursor of local.oplog.rs (what {@code GetMoreCommand} hands such a request to): the entries
 * after the cursor's position. With awaitData and nothing new, the reply is held up to maxTimeMS (1 s by default, as
 * mongod) and sent as soon as an entry is appended, so a tailing secondary or client neither polls nor waits longer
 * than it must. Answered on the event loop: the oplog is readable from any thread and the wait holds no thread.
 * A cursor whose position the capped oplog dropped meanwhile gets CappedPositionLost (136).
 */
public final class OplogGetMore implements Command {
    private static final long DEFAULT_AWAIT_MILLIS = 1000;
    private static final int DEFAULT_BATCH = 1000;

    private final ReplicationCoordinator repl;

    public OplogGetMore(ReplicationCoordinator repl) {
        this.repl = repl;
    }

    @Override
    public String name() {
        return "getMore";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public long replyDelayMillis(CommandContext ctx) {
        OplogCursors.Tail tail = repl.oplogCursors().get(cursorId(ctx));
        if (tail == null || !tail.awaitData || repl.oplog().hasAfter(tail.ts, tail.inclusive)) {
            return 0;
        }
        return ctx.body().get("maxTimeMS") instanceof Number n && n.longValue() > 0 ? n.longValue() : DEFAULT_AWAIT_MILLIS;
    }

    @Override
    public CompletableFuture<?> wakeUp(CommandContext ctx) {
        CompletableFuture<Void> next = repl.oplog().nextAppend();
        OplogCursors.Tail tail = repl.oplogCursors().get(cursorId(ctx));
        return tail == null || repl.oplog().hasAfter(tail.ts, tail.inclusive) ? CompletableFuture.completedFuture(null) : next;
    }

    @Override
    public Document run(CommandContext ctx) {
        long id = cursorId(ctx);
        OplogCursors.Tail tail = repl.oplogCursors().get(id);
        if (tail == null) {
            throw Errors.of(ErrorCode.CursorNotFound, "cursor id " + id + " not found");
        }
        OpTime oldest = repl.oplog().first();
        if (tail.ts != 0 && Long.compareUnsigned(oldest.ts(), tail.ts) > 0) {
            repl.oplogCursors().close(id);
            throw Errors.of(ErrorCode.CappedPositionLost, "CollectionScan died due to position in capped collection being deleted");
        }
        int limit = ctx.body().get("batchSize") instanceof Number n && n.intValue() > 0 ? n.intValue() : DEFAULT_BATCH;
        List<Document> batch = repl.oplog().after(tail.ts, tail.inclusive, limit);
        if (!batch.isEmpty()) {
            tail.ts = OplogStore.tsOf(batch.get(batch.size() - 1));
            tail.inclusive = false;
        }
        return new Document("cursor", new Document("nextBatch", batch).append("id", id).append("ns", "local.oplog.rs"))
            .append("ok", 1.0);
    }

    /** Whether this getMore is for an oplog tail cursor of this member. */
    public static boolean isFor(ReplicationCoordinator repl, CommandContext ctx) {
        return repl != null && "local".equals(ctx.db()) && "oplog.rs".equals(ctx.body().get("collection"))
            && repl.oplogCursors().get(cursorId(ctx)) != null;
    }

    private static long cursorId(CommandContext ctx) {
        return ctx.body().get("getMore") instanceof Number n ? n.longValue() : 0;
    }
}
