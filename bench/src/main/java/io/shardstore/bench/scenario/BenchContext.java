package io.shardstore.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bson.Document;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.report.Results;
import io.shardstore.bench.run.Comparison;
import io.shardstore.bench.run.Lane;
import io.shardstore.bench.run.PhaseRunner;
import io.shardstore.bench.run.Progress;
import io.shardstore.bench.run.Target;
import io.shardstore.bench.servers.BenchCluster;
import io.shardstore.bench.ycsb.KeySpace;
import io.shardstore.bench.ycsb.Operation;
import io.shardstore.bench.ycsb.Records;
import io.shardstore.bench.ycsb.Workload;

/**
 * What every scenario works with: the cluster, one driver client per path (router, relay, each shard
 * directly), the loaded collections, the runner and the results being filled in.
 */
public final class BenchContext implements AutoCloseable {
    public final BenchSettings settings;
    public final BenchCluster cluster;
    public final Progress progress;
    public final Records records;
    public final PhaseRunner runner;
    public final Comparison comparison;
    public final Results results;
    public final Target router;
    public final Target relay;
    /** shard i directly; shards.get(0) is the "direct" baseline */
    public final List<Target> shards = new ArrayList<>();
    public final Target direct;
    /** per shard count, the collection spread over that many shards */
    public final Map<Integer, KeySpace> layouts = new LinkedHashMap<>();
    /** per shard count, an initially empty collection for insert-only workloads (so they do not grow the read collections) */
    private final Map<Integer, KeySpace> insertLayouts = new LinkedHashMap<>();
    private final List<MongoClient> clients = new ArrayList<>();

    public BenchContext(BenchSettings settings, BenchCluster cluster, Progress progress, Results results) {
        this.settings = settings;
        this.cluster = cluster;
        this.progress = progress;
        this.results = results;
        this.records = new Records(settings.fieldCount, settings.fieldLength);
        this.runner = new PhaseRunner(cluster.cpu(), records, progress);
        this.comparison = new Comparison(runner, progress);
        this.router = new Target("router", client(cluster.routerUri()), "router");
        this.relay = new Target("relay", client(cluster.relayUri()), "relay");
        for (int i = 0; i < cluster.shardCount(); i++) {
            shards.add(new Target("shard" + i, client(cluster.shardUri(i)), null));
        }
        this.direct = new Target("direct", shards.get(0).client(), null);
    }

    /** A driver client whose pool fits the largest client count, so no thread waits for a connection. */
    public MongoClient client(String uri) {
        MongoClient c = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToConnectionPoolSettings(b -> b.maxSize(settings.maxClients() + 16).maxConnecting(16))
            .applyToClusterSettings(b -> b.serverSelectionTimeout(30, TimeUnit.SECONDS))
            .applyToSocketSettings(b -> b.connectTimeout(10, TimeUnit.SECONDS))
            .applicationName("bench").build());
        clients.add(c);
        return c;
    }

    public KeySpace layout(int shards) {
        return layouts.get(shards);
    }

    /**
     * The collection a workload runs on over {@code shards} shards. Insert-only workloads get their own (empty at first,
     * sharded the same way): thousands of inserts per second would otherwise grow the collection every later scenario
     * reads, and the engine's scans and sorts slow down with its size.
     */
    public KeySpace keysFor(Workload w, int shards) {
        if (w.share(Operation.INSERT) < 1.0) {
            return layout(shards);
        }
        return insertLayouts.computeIfAbsent(shards, n -> {
            String coll = "i" + n;
            DataSetup.shardOver(router.client(), BenchSettings.DATABASE, coll, n, settings.chunksPerShard);
            return new KeySpace(coll, 0);
        });
    }

    /**
     * The plan for {@code w}: workloads that insert delete what each slice inserted before the next one (so every slice,
     * and every later scenario, sees the collections at their loaded size and the shards' heaps do not fill up), and
     * insert-only slices also stop after {@code 4 x recordcount} inserts.
     */
    public Comparison.Plan plan(Workload w, Comparison.Plan plan) {
        if (!w.inserts()) {
            return plan;
        }
        Comparison.Plan p = plan.withAfterSlice(lane -> removeInserted(lane.keys()));
        return w.share(Operation.INSERT) >= 1.0 && p.maxOps() <= 0 ? p.withMaxOps(4 * Math.max(1, settings.recordCount)) : p;
    }

    /** Deletes (through the router, by _id, in batches) the records inserted since the collection was loaded. */
    public void removeInserted(KeySpace ks) {
        long from = ks.loaded();
        long to = ks.inserts().issued();
        var coll = router.collection(BenchSettings.DATABASE, ks.collection());
        List<Long> ids = new ArrayList<>(1000);
        for (long n = from; n < to; n++) {
            ids.add(io.shardstore.bench.ycsb.Keys.idOf(n));
            if (ids.size() == 1000 || n == to - 1) {
                coll.deleteMany(com.mongodb.client.model.Filters.in("_id", ids));
                ids.clear();
            }
        }
        ks.inserts().reset();
    }

    /** The direct / relay / router lanes on the one-shard collection: same shard, same data, three paths. */
    public List<Lane> baselineLanes(Workload w) {
        KeySpace ks = keysFor(w, 1);
        return List.of(new Lane("direct", direct, BenchSettings.DATABASE, ks), new Lane("relay", relay, BenchSettings.DATABASE, ks),
            new Lane("router", router, BenchSettings.DATABASE, ks));
    }

    /** Operations each shard has served so far (serverStatus opcounters: query, insert, update, delete, getmore). */
    public long[] shardOps() {
        long[] out = new long[shards.size()];
        for (int i = 0; i < shards.size(); i++) {
            Document c = serverStatus(i).get("opcounters", Document.class);
            for (String k : List.of("query", "insert", "update", "delete", "getmore")) {
                Object v = c.get(k);
                out[i] += v instanceof Number n ? n.longValue() : 0;
            }
        }
        return out;
    }

    public Document serverStatus(int shard) {
        return shards.get(shard).client().getDatabase("admin").runCommand(new Document("serverStatus", 1));
    }

    /** serverStatus connections.current of shard {@code i}. */
    public int shardConnections(int shard) {
        return ((Number) serverStatus(shard).get("connections", Document.class).get("current")).intValue();
    }

    @Override
    public void close() {
        clients.forEach(MongoClient::close);
    }
}
