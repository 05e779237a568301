package io.shardstore.router.command.analysis;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.analysis.QueryAnalyzers;
import io.shardstore.router.command.Replies;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.router.topology.Routing;

/**
 * {@code configureQueryAnalyzer} (MongoDB 7.0; mongosh's {@code db.coll.configureQueryAnalyzer({mode,
 * samplesPerSecond})}): starts ({@code mode: "full"}) or stops ({@code "off"}) sampling a collection's queries into
 * config.sampledQueries. The configuration is a document of config.queryAnalyzers, which every router reads
 * ({@link QueryAnalyzers}); the reply has the new and, when there was one, the old configuration.
 * <p>
 * samplesPerSecond is at most 50, as on mongod, unless the router runs with test commands enabled (mongod skips the
 * limit with test diagnostics too): the benchmark measures the sampling's cost at 1,000 a second.
 */
public final class ConfigureQueryAnalyzerCommand implements RouterCommand {
    public static final double MAX_SAMPLES_PER_SECOND = 50;

    @Override
    public String name() {
        return "configureQueryAnalyzer";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        String ns = Types.namespace(request);
        int dot = ns.indexOf('.');
        BsonValue modeValue = Types.required(request, "mode");
        if (!modeValue.isString()) {
            throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'configureQueryAnalyzer.mode' is the wrong type '"
                + Types.name(modeValue) + "', expected type 'string'");
        }
        String mode = modeValue.asString().getValue();
        if (!mode.equals("full") && !mode.equals("off")) {
            throw new RouterError(ErrorCode.BadValue, "Enumeration value '" + mode + "' for field 'configureQueryAnalyzer.mode' is not "
                + "a valid value.");
        }
        BsonValue rateValue = request.value("samplesPerSecond");
        if (rateValue != null && !rateValue.isNumber()) {
            throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'configureQueryAnalyzer.samplesPerSecond' is the wrong type '"
                + Types.name(rateValue) + "', expected type 'double'");
        }
        if (mode.equals("off") && rateValue != null) {
            throw new RouterError(ErrorCode.InvalidOptions, "Cannot specify 'samplesPerSecond' when 'mode' is \"off\"");
        }
        if (mode.equals("full")) {
            if (rateValue == null) {
                throw new RouterError(ErrorCode.InvalidOptions, "'samplesPerSecond' must be specified when 'mode' is not \"off\"");
            }
            double rate = rateValue.asNumber().doubleValue();
            if (!(rate > 0)) {
                throw new RouterError(ErrorCode.InvalidOptions, "'samplesPerSecond' must be greater than 0");
            }
            boolean testCommands = exec.router() != null && exec.router().options().testCommands();
            if (rate > MAX_SAMPLES_PER_SECOND && !testCommands) {
                throw new RouterError(ErrorCode.InvalidOptions, "'samplesPerSecond' must be less than or equal to "
                    + (long) MAX_SAMPLES_PER_SECOND);
            }
        }
        String db = ns.substring(0, dot);
        String coll = ns.substring(dot + 1);
        return exec.catalog().routing(db, coll).thenCompose(routing -> collectionUuid(exec, routing, db, coll))
            .thenApplyAsync(uuid -> store(exec.analyzers(), ns, uuid, mode, rateValue), exec.analyzers().analysisExecutor());
    }

    /** The collection's UUID from its primary shard's listCollections; NamespaceNotFound when there is no collection. */
    private static CompletableFuture<BsonValue> collectionUuid(Exec exec, Routing routing, String db, String coll) {
        String shard = routing instanceof Routing.Sharded s ? s.chunks().chunks().get(0).shard() : routing.primary();
        BsonDocument list = new BsonDocument("listCollections", new org.bson.BsonInt32(1))
            .append("filter", new BsonDocument("name", new BsonString(coll))).append("$db", new BsonString(db));
        return exec.gateway().command(shard, list).thenApply(reply -> {
            RawBsonDocument checked = reply;
            Replies.check(checked);
            var batch = checked.getDocument("cursor").getArray("firstBatch");
            if (batch.isEmpty()) {
                throw new RouterError(ErrorCode.NamespaceNotFound, "Cannot configure the query analyzer for a non-existing collection '"
                    + db + "." + coll + "'");
            }
            BsonDocument info = batch.get(0).asDocument().getDocument("info", new BsonDocument());
            return info.get("uuid", BsonNull.VALUE);
        });
    }

    /**
     * As mongod: "full" upserts the configuration (its startTime kept unless the mode or the collection changed); "off"
     * marks an active one stopped, keeping its rate; the old configuration is reported only for the same collection.
     */
    private static BsonDocument store(QueryAnalyzers analyzers, String ns, BsonValue uuid, String mode, BsonValue rate) {
        BsonDocument old = analyzers.configurations().find(Filters.eq("_id", ns)).first();
        if (old != null && !old.get("collUuid", BsonNull.VALUE).equals(uuid)) {
            old = null; // a configuration of a dropped collection of that name
        }
        BsonDateTime now = new BsonDateTime(System.currentTimeMillis());
        BsonDocument config = new BsonDocument("_id", new BsonString(ns)).append("collUuid", uuid).append("mode", new BsonString(mode));
        if (mode.equals("full")) {
            boolean sameRun = old != null && "full".equals(old.getString("mode", new BsonString("")).getValue());
            config.append("samplesPerSecond", new BsonDouble(rate.asNumber().doubleValue()))
                .append("startTime", sameRun && old.containsKey("startTime") ? old.get("startTime") : now);
            analyzers.configurations().replaceOne(Filters.eq("_id", ns), config, new ReplaceOptions().upsert(true));
        } else if (old != null && !"off".equals(old.getString("mode", new BsonString("")).getValue())) {
            config = old.clone();
            config.put("mode", new BsonString("off"));
            config.put("stopTime", now);
            analyzers.configurations().replaceOne(Filters.eq("_id", ns), config);
        }
        analyzers.refreshNow();
        BsonDocument reply = new BsonDocument("newConfiguration", mode.equals("off") ? new BsonDocument("mode", new BsonString("off"))
            : summary(config));
        if (old != null) {
            reply.append("oldConfiguration", summary(old));
        }
        return reply.append("ok", new BsonDouble(1));
    }

    /** mode and samplesPerSecond (an old "off" configuration still has the rate it ran at). */
    private static BsonDocument summary(BsonDocument config) {
        BsonDocument out = new BsonDocument("mode", config.get("mode"));
        if (config.containsKey("samplesPerSecond")) {
            out.append("samplesPerSecond", config.get("samplesPerSecond"));
        }
        return out;
    }
}
