package io.shardstore.router.command.data;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonValue;

import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.cursor.RouterCursor;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** killCursors: forgets router cursors and closes their shard cursors. */
public final class KillCursorsCommand implements RouterCommand {

    @Override
    public String name() {
        return "killCursors";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        BsonArray killed = new BsonArray();
        BsonArray notFound = new BsonArray();
        for (BsonValue v : request.body().getArray("cursors", new BsonArray())) {
            RouterCursor c = v.isInt64() ? exec.cursors().remove(v.asInt64().getValue()) : null;
            if (c != null) {
                c.kill();
                killed.add(v);
            } else {
                notFound.add(v);
            }
        }
        return CompletableFuture.completedFuture(new BsonDocument("cursorsKilled", killed).append("cursorsNotFound", notFound)
            .append("cursorsAlive", new BsonArray()).append("cursorsUnknown", new BsonArray()).append("ok", new BsonDouble(1.0)));
    }
}
