package io.shardstore.node.command.data;

import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * {@code $collStats}, the stage mongosh's {@code db.coll.stats()} and {@code getShardDistribution()} read (the
 * collStats command is deprecated since 6.2): one document with the collection's {@code storageStats} (what
 * collStats answers) and {@code count}, as mongod gives them. Only as the whole pipeline; any other option of the
 * stage than {@code storageStats} / {@code count} (latencyStats, queryExecStats) is refused, not left out.
 */
final class CollStatsStage {

    private CollStatsStage() {
    }

    /** storageStats' {@code scale} (sizes in units of it, as mongod: avgObjSize stays in bytes); other options change nothing here. */
    private static long scale(Object storageStats) {
        if (!(storageStats instanceof Document d)) {
            throw Errors.typeMismatch("BSON field '$collStats.storageStats' is the wrong type, expected type 'object'");
        }
        for (String key : d.keySet()) {
            if (!List.of("scale", "verbose", "waitForLock", "numericOnly").contains(key)) {
                throw Errors.location(40415, "BSON field 'StorageStatsSpec." + key + "' is an unknown field.");
            }
        }
        Object scale = d.get("scale");
        if (scale == null) {
            return 1;
        }
        if (!(scale instanceof Number n) || n.longValue() < 1) {
            throw Errors.of(ErrorCode.BadValue, "BSON field 'scale' value must be >= 1, actual value '" + scale + "'");
        }
        return n.longValue();
    }

    private static Document scaled(Document stats, long scale) {
        if (scale == 1) {
            return stats;
        }
        for (String field : List.of("size", "storageSize", "totalIndexSize", "totalSize", "maxSize")) {
            if (stats.get(field) instanceof Number n) {
                stats.put(field, n.longValue() / scale);
            }
        }
        if (stats.get("indexSizes") instanceof Document sizes) {
            sizes.replaceAll((k, v) -> v instanceof Number n ? (Object) (n.longValue() / scale) : v);
        }
        stats.put("scaleFactor", scale);
        return stats;
    }

    static Document run(CommandContext ctx, List<?> pipeline) {
        if (pipeline.size() > 1) {
            throw Errors.of(ErrorCode.NotImplemented, "$collStats followed by other stages is not supported by this server");
        }
        Object spec = ((Document) pipeline.get(0)).get("$collStats");
        if (!(spec instanceof Document options)) {
            throw Errors.location(5447000, "$collStats must take a nested object but found: " + spec);
        }
        for (String option : options.keySet()) {
            if (!option.equals("storageStats") && !option.equals("count")) {
                throw Errors.of(ErrorCode.NotImplemented, "$collStats option '" + option + "' is not supported by this server");
            }
        }
        Document stats = new CollStatsCommand().run(new CommandContext("collStats", ctx.db(),
            new Document("collStats", ctx.collectionName()).append("$db", ctx.db()), ctx.connection(), ctx.node()));
        stats.remove("ok");
        Document out = new Document("ns", ctx.namespace())
            .append("host", ctx.node().options().bindIp() + ":" + ctx.channel().localAddress().toString().replaceAll(".*:", ""))
            .append("localTime", Instant.now());
        if (options.containsKey("storageStats")) {
            stats.putIfAbsent("numOrphanDocs", 0);
            out.append("storageStats", scaled(stats, scale(options.get("storageStats"))));
        }
        if (options.containsKey("count")) {
            out.append("count", stats.get("count"));
        }
        return new Document("cursor", new Document("firstBatch", List.of(out)).append("id", 0L).append("ns", ctx.namespace()))
            .append("ok", 1.0);
    }
}
