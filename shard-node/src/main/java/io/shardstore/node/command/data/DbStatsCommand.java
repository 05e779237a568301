package io.shardstore.node.command.data;

import java.io.File;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;

/**
 * dbStats as mongod 7.0 answers it: counts as 32-bit integers where they fit (mongosh prints them as numbers, not
 * {@code Long}), sizes as doubles divided by {@code scale} (whose integer part is used; {@code scaleFactor} says
 * which), {@code views} from the view catalog, {@code totalSize}, and the data directory's file system. The engine's
 * own reply carries MMAPv1 fields (numExtents, fileSize, nsSizeMB) mongod no longer has, and ignores {@code scale}.
 */
public final class DbStatsCommand implements Command {

    @Override
    public String name() {
        return "dbStats";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("dbStats");
    }

    @Override
    public Document run(CommandContext ctx) {
        long scale = 1;
        Object given = ctx.body().get("scale");
        if (given != null) {
            if (!(given instanceof Number n)) {
                throw Errors.typeMismatch("BSON field 'dbStats.scale' is the wrong type '" + Errors.typeName(given)
                    + "', expected types '[long, int, decimal, double]'");
            }
            scale = n.longValue();
            if (scale < 1) {
                throw Errors.location(51024, "BSON field 'scale' value must be >= 1, actual value '" + scale + "'");
            }
        }
        Document engine = ctx.node().storage().run(ctx.channel(), ctx.db(), "dbStats", new Document("dbStats", 1));
        long objects = number(engine, "objects");
        double dataSize = ((Number) engine.getOrDefault("dataSize", 0)).doubleValue();
        double storageSize = number(engine, "storageSize");
        double indexSize = number(engine, "indexSize");
        File fs = ctx.node().options().dbPath() != null ? ctx.node().options().dbPath().toFile() : new File(".");
        double total = fs.getTotalSpace();
        return new Document("db", ctx.db())
            .append("collections", (int) number(engine, "collections"))
            .append("views", ctx.node().storage().views().list(ctx.db()).size())
            .append("objects", objects <= Integer.MAX_VALUE ? (Object) (int) objects : (Object) objects)
            .append("avgObjSize", objects == 0 ? 0.0 : dataSize / objects)
            .append("dataSize", dataSize / scale)
            .append("storageSize", storageSize / scale)
            .append("indexes", (int) number(engine, "indexes"))
            .append("indexSize", indexSize / scale)
            .append("totalSize", (storageSize + indexSize) / scale)
            .append("scaleFactor", scale <= Integer.MAX_VALUE ? (Object) (int) scale : (Object) scale)
            .append("fsUsedSize", (total - fs.getUsableSpace()) / scale)
            .append("fsTotalSize", total / scale)
            .append("ok", 1.0);
    }

    private static long number(Document reply, String field) {
        return reply.get(field) instanceof Number n ? n.longValue() : 0;
    }
}
