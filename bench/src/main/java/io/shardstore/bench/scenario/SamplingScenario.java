package io.shardstore.bench.scenario;

import java.time.Duration;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoDatabase;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.run.Aggregate;
import io.shardstore.bench.run.Histograms;
import io.shardstore.bench.run.PhaseSpec;
import io.shardstore.bench.ycsb.KeySpace;
import io.shardstore.bench.ycsb.Workloads;

/**
 * The cost of configureQueryAnalyzer's sampling on the request path (issue 14: at most 3 % of throughput at 1,000
 * samples a second): targeted reads through the router on a collection sampled at 1,000 a second, against the same
 * reads with sampling off, in alternating rounds on the same router (the bench's router runs with test commands,
 * which lift mongod's limit of 50 a second). The samples are written to the config server meanwhile, so their
 * writing is part of the cost.
 */
public final class SamplingScenario {
    static final double RATE = Double.parseDouble(System.getProperty("bench.samplingRate", "1000"));

    private SamplingScenario() {
    }

    public static void run(BenchContext ctx) {
        var s = ctx.settings;
        KeySpace ks = ctx.layout(1);
        String ns = BenchSettings.DATABASE + "." + ks.collection();
        ctx.progress.section("Query sampling: targeted reads with " + ns + " sampled at " + (long) RATE + "/s vs sampling off");
        MongoDatabase admin = ctx.router.client().getDatabase("admin");
        Duration slice = s.slice;
        Aggregate off = new Aggregate("sampling off", "router");
        Aggregate on = new Aggregate("sampled at " + (long) RATE + "/s", "router");
        // The whole warm-up: the first seconds of a fresh router run several times slower, and would land on one side.
        // Half of it with sampling on: the sampling code (the router's, and the config server's insert path) is then
        // compiled before the timed slices, whose difference is the steady cost per sample, not a one-time JIT cost.
        Duration half = s.warmup.dividedBy(2);
        configure(admin, ns, true);
        ctx.runner.run(new PhaseSpec("sampling-warmup", Workloads.TARGETED_READ, BenchSettings.DATABASE, ks, ctx.router, s.clients,
            half, 0));
        configure(admin, ns, false);
        ctx.runner.run(new PhaseSpec("sampling-warmup", Workloads.TARGETED_READ, BenchSettings.DATABASE, ks, ctx.router, s.clients,
            s.warmup.minus(half), 0));
        long samplesBefore = samples(admin, ns);
        int rounds = Math.max(2, s.rounds);
        try {
            for (int r = 0; r < rounds; r++) {
                for (boolean sampled : r % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                    configure(admin, ns, sampled);
                    Aggregate into = sampled ? on : off;
                    into.add(ctx.runner.run(new PhaseSpec("sampling", Workloads.TARGETED_READ, BenchSettings.DATABASE, ks, ctx.router,
                        s.clients, slice, 0)));
                }
            }
        } finally {
            configure(admin, ns, false);
        }
        long taken = samples(admin, ns) - samplesBefore;
        double ratio = on.throughput() / off.throughput();
        double perSecond = taken / on.seconds();
        StringBuilder md = new StringBuilder();
        md.append("## Query sampling (configureQueryAnalyzer, issue 14)\n\n");
        md.append("Targeted reads of `").append(ns).append("` through the router, ").append(s.clients).append(" clients, ")
            .append(rounds).append(" alternating rounds of ").append(slice.toMillis()).append(" ms per side; sampled side at ")
            .append((long) RATE).append(" samples/s (written to the config server meanwhile).\n\n");
        // Where the cost goes: the router takes and writes the samples, the config server stores them.
        md.append("| side | ops/s | p50 ms | p99 ms | errors | router CPU us/op | config server CPU us/op |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Aggregate a : List.of(off, on)) {
            md.append(String.format("| %s | %,.0f | %.3f | %.3f | %d | %.1f | %.1f |%n", a.target(), a.throughput(),
                Histograms.millis(a.latency(), 50), Histograms.millis(a.latency(), 99), a.errors(), a.cpuMicrosPerOp("router"),
                a.cpuMicrosPerOp("config")));
        }
        md.append(String.format("%nThroughput sampled / off: **%.3fx** (goal >= 0.97x); samples taken: %,d (%.0f/s while sampled).%n%n",
            ratio, taken, perSecond));
        ctx.results.sampling = md.toString();
        ctx.progress.note(String.format("sampling at %.0f/s: throughput %.3fx of sampling off (%,d samples, %.0f/s)", RATE, ratio, taken,
            perSecond));
    }

    private static void configure(MongoDatabase admin, String ns, boolean sampled) {
        Document cmd = new Document("configureQueryAnalyzer", ns).append("mode", sampled ? "full" : "off");
        if (sampled) {
            cmd.append("samplesPerSecond", RATE);
        }
        admin.runCommand(cmd);
    }

    private static long samples(MongoDatabase admin, String ns) {
        long n = 0;
        for (Document ignored : admin.aggregate(List.of(new Document("$listSampledQueries", new Document("namespace", ns))))) {
            n++;
        }
        return n;
    }
}
