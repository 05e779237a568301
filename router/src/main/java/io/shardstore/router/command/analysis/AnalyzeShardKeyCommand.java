package io.shardstore.router.command.analysis;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.analysis.ShardKeyAnalysis;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * {@code analyzeShardKey} (MongoDB 7.0; mongosh's {@code db.coll.analyzeShardKey(key, opts)}): the characteristics
 * of a candidate shard key and how the sampled workload would be targeted with it ({@link ShardKeyAnalysis}). Runs
 * on the analysis threads: it reads the whole collection (or the sample asked for).
 */
public final class AnalyzeShardKeyCommand implements RouterCommand {

    @Override
    public String name() {
        return "analyzeShardKey";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        ShardKeyAnalysis.Request parsed = parse(request);
        return CompletableFuture.supplyAsync(() -> ShardKeyAnalysis.run(exec, exec.analyzers(), parsed),
            exec.analyzers().analysisExecutor());
    }

    static ShardKeyAnalysis.Request parse(RouterRequest request) {
        String namespace = Types.namespace(request);
        BsonValue key = Types.required(request, "key");
        if (!key.isDocument()) {
            throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'analyzeShardKey.key' is the wrong type '" + Types.name(key)
                + "', expected type 'object'");
        }
        ShardKeyPattern pattern = Types.shardKey(key.asDocument());
        boolean characteristics = Types.bool(request, "keyCharacteristics", true);
        boolean distribution = Types.bool(request, "readWriteDistribution", true);
        if (!characteristics && !distribution) {
            throw new RouterError(ErrorCode.InvalidOptions, "Cannot skip analyzing all metrics");
        }
        BsonValue rate = request.value("sampleRate");
        BsonValue size = request.value("sampleSize");
        if (rate != null && size != null) {
            throw new RouterError(ErrorCode.InvalidOptions, "Cannot specify both 'sampleRate' and 'sampleSize'");
        }
        Double sampleRate = null;
        if (rate != null) {
            if (!rate.isNumber()) {
                throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'analyzeShardKey.sampleRate' is the wrong type '"
                    + Types.name(rate) + "', expected type 'double'");
            }
            sampleRate = rate.asNumber().doubleValue();
            if (!(sampleRate > 0 && sampleRate <= 1)) {
                throw new RouterError(51024, "Location51024", "BSON field 'analyzeShardKey.sampleRate' value must be "
                    + (sampleRate <= 0 ? "> 0" : "<= 1") + ", actual value '" + sampleRate + "'");
            }
        }
        Long sampleSize = null;
        if (size != null) {
            if (!size.isNumber()) {
                throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'analyzeShardKey.sampleSize' is the wrong type '"
                    + Types.name(size) + "', expected type 'long'");
            }
            sampleSize = size.asNumber().longValue();
            if (sampleSize <= 0) {
                throw new RouterError(51024, "Location51024", "BSON field 'analyzeShardKey.sampleSize' value must be > 0, "
                    + "actual value '" + sampleSize + "'");
            }
        }
        return new ShardKeyAnalysis.Request(namespace, pattern, characteristics, distribution, sampleRate, sampleSize);
    }
}
