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
        Document stats = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        return scaled(stats, scale(ctx.body().get("scale")));
    }

    /** mongod's scale: the integer part of a positive number; sizes are divided by it, and scaleFactor says so. */
    private static long scale(Object given) {
        if (given == null) {
            return 1;
        }
        if (!(given instanceof Number n) || n.doubleValue() < 1) {
            throw io.shardstore.node.command.Errors.location(51024, "BSON field 'scale' value must be >= 1, actual value '" + given + "'");
        }
        return n.longValue();
    }

    /** The engine ignores scale: the sizes are divided here (avgObjSize stays in bytes, as in mongod). */
    private static Document scaled(Document stats, long scale) {
        if (scale > 1) {
            for (String size : new String[] {"size", "storageSize", "totalIndexSize", "totalSize"}) {
                if (stats.get(size) instanceof Number n) {
                    stats.put(size, n.longValue() / scale);
                }
            }
            if (stats.get("indexSizes") instanceof Document indexes) {
                indexes.replaceAll((name, n) -> n instanceof Number v ? (Object) (v.longValue() / scale) : n);
            }
        }
        if (stats.containsKey("ok")) {
            stats.put("scaleFactor", (int) Math.min(Integer.MAX_VALUE, scale));
        }
        return stats;
    }
}
