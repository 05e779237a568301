package io.shardstore.router.command.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.analysis.ShardKeyAdvisor;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/**
 * {@code shardKeyAdvisor} (ours, beyond MongoDB): {@code db.adminCommand({shardKeyAdvisor: "db.coll", shards: N,
 * candidates: [{...}, ...]})} ranks candidate keys by the collection's data and sampled workload
 * ({@link ShardKeyAdvisor}); {@code bin/shard-key-advisor} prints and charts the answer. Both optional fields default:
 * N to the cluster's shard count (at least 2), the candidates to those the sampled queries suggest.
 */
public final class ShardKeyAdvisorCommand implements RouterCommand {
    static final int MAX_SHARDS = 1_000;

    @Override
    public String name() {
        return "shardKeyAdvisor";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        String ns = Types.namespace(request);
        int shards = 0;
        BsonValue n = request.value("shards");
        if (n != null) {
            if (!n.isNumber()) {
                throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'shardKeyAdvisor.shards' is the wrong type '" + Types.name(n)
                    + "', expected type 'int'");
            }
            shards = n.asNumber().intValue();
            if (shards < 1 || shards > MAX_SHARDS) {
                throw new RouterError(ErrorCode.BadValue, "'shards' must be between 1 and " + MAX_SHARDS + " (it is " + shards + ")");
            }
        }
        List<BsonDocument> candidates = new ArrayList<>();
        BsonValue given = request.value("candidates");
        if (given != null) {
            if (!given.isArray()) {
                throw new RouterError(ErrorCode.TypeMismatch, "BSON field 'shardKeyAdvisor.candidates' is the wrong type '"
                    + Types.name(given) + "', expected type 'array'");
            }
            for (BsonValue c : given.asArray()) {
                if (!c.isDocument()) {
                    throw new RouterError(ErrorCode.TypeMismatch, "each of 'shardKeyAdvisor.candidates' is a shard key document");
                }
                Types.shardKey(c.asDocument());
                candidates.add(c.asDocument());
            }
        }
        int wanted = shards;
        return CompletableFuture.supplyAsync(() -> ShardKeyAdvisor.run(exec, exec.analyzers(), ns, wanted, candidates),
            exec.analyzers().analysisExecutor());
    }
}
