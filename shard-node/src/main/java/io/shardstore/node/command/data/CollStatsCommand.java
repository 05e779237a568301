package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.replication.OplogStore;
import io.shardstore.node.replication.ReplicationCoordinator;

/**
 * collStats (db.coll.stats()), by the engine; on a replica-set member, local.oplog.rs is answered from the member's
 * capped oplog: capped true, maxSize its --oplogSizeMB in bytes, size and count of the entries kept.
 */
public final class CollStatsCommand implements Command {

    @Override
    public String name() {
        return "collStats";
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = ctx.node().replication();
        if (repl != null && "local".equals(ctx.db()) && "oplog.rs".equals(ctx.body().get("collStats"))) {
            OplogStore oplog = repl.oplog();
            long count = oplog.size();
            long size = oplog.dataSize();
            return new Document("ns", "local.oplog.rs").append("size", size).append("count", count)
                .append("avgObjSize", count == 0 ? 0 : size / count).append("storageSize", size).append("capped", true)
                .append("max", -1L).append("maxSize", oplog.maxBytes()).append("nindexes", 0).append("totalIndexSize", 0)
                .append("indexSizes", new Document()).append("ok", 1.0);
        }
        return ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
    }
}
