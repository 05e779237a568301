package io.shardstore.bench.run;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.bson.Document;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;

import io.shardstore.bench.ycsb.Operation;
import io.shardstore.bench.ycsb.OperationRunner;
import io.shardstore.bench.ycsb.Records;

/**
 * Runs one slice: N client threads in a closed loop (each sends its next operation when the previous one
 * answered, as YCSB does), latencies into an HdrHistogram Recorder, CPU of every server process sampled
 * before and after. The calling thread drives the live progress line while the clients run.
 */
public final class PhaseRunner {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final CpuSampler cpu;
    private final Records records;
    private final Progress progress;

    public PhaseRunner(CpuSampler cpu, Records records, Progress progress) {
        this.cpu = cpu;
        this.records = records;
        this.progress = progress;
    }

    public PhaseResult run(PhaseSpec spec) {
        MongoCollection<Document> coll = spec.target().collection(spec.database(), spec.keys().collection());
        Recorder all = new Recorder(Histograms.MAX_MICROS, 3);
        Map<Operation, Recorder> byOp = new EnumMap<>(Operation.class);
        for (Operation op : spec.workload().proportions().keySet()) {
            byOp.put(op, new Recorder(Histograms.MAX_MICROS, 3));
        }
        AtomicLong issued = new AtomicLong();
        LongAdder ops = new LongAdder();
        LongAdder misses = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        DoubleAdder clientCpu = new DoubleAdder();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(spec.clients());
        Stop stop = new Stop();

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < spec.clients(); i++) {
            Thread t = new Thread(() -> {
                List<MongoCollection<Document>> fanOut = spec.target().fanOut().stream()
                    .map(c -> c.getDatabase(spec.database()).getCollection(spec.keys().collection())).toList();
                OperationRunner runner = new OperationRunner(coll, fanOut, spec.keys(), spec.workload(), records);
                try {
                    start.await();
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    while (!stop.now && (spec.maxOps() <= 0 || issued.incrementAndGet() <= spec.maxOps())) {
                        Operation op = spec.workload().pick();
                        long t0 = System.nanoTime();
                        try {
                            boolean found = runner.run(op);
                            long micros = Math.min(Histograms.MAX_MICROS, (System.nanoTime() - t0) / 1000);
                            all.recordValue(micros);
                            byOp.get(op).recordValue(micros);
                            ops.increment();
                            if (!found) {
                                misses.increment();
                            }
                        } catch (MongoException e) {
                            errors.increment();
                            firstError.compareAndSet(null, op + ": " + e.getMessage());
                        }
                    }
                    clientCpu.add((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    runner.close();
                    done.countDown();
                }
            }, "bench-client-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        Histogram total = Histograms.create();
        Map<String, Long> cpuBefore = cpu.cpuNanos();
        Map<String, Long> countersBefore = cpu.counters();
        long t0 = System.nanoTime();
        long deadline = t0 + spec.duration().toNanos();
        start.countDown();
        Histogram interval = null;
        try {
            long lastOps = 0;
            long lastTick = t0;
            while (!done.await(Math.max(1, Math.min(500_000_000L, deadline - System.nanoTime())), TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                interval = all.getIntervalHistogram(interval);
                total.add(interval);
                long n = ops.sum();
                double rate = (n - lastOps) / ((now - lastTick) / 1e9);
                progress.update(String.format("%s via %s x%d | %,.0f ops/s | p99 %.2f ms | errors %d | %.0f/%.0f s",
                    spec.workload().name(), spec.target().name(), spec.clients(), rate, Histograms.millis(interval, 99),
                    errors.sum(), (now - t0) / 1e9, spec.duration().toNanos() / 1e9));
                lastOps = n;
                lastTick = now;
                if (now >= deadline) {
                    stop.now = true;
                    done.await(); // each client finishes the operation it has in flight
                    break;
                }
            }
        } catch (InterruptedException e) {
            stop.now = true;
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> cpuAfter = cpu.cpuNanos();
        Map<String, Long> countersAfter = cpu.counters();
        total.add(all.getIntervalHistogram());
        Map<Operation, Histogram> perOp = new EnumMap<>(Operation.class);
        byOp.forEach((op, r) -> perOp.put(op, r.getIntervalHistogram()));
        Map<String, Double> cpuSeconds = new HashMap<>();
        cpuAfter.forEach((p, after) -> {
            Long before = cpuBefore.get(p);
            if (before != null) {
                cpuSeconds.put(p, (after - before) / 1e9);
            }
        });
        Map<String, Long> counters = new HashMap<>();
        countersAfter.forEach((k, after) -> {
            Long before = countersBefore.get(k);
            if (before != null && before >= 0 && after >= 0) {
                counters.put(k, after - before);
            }
        });
        return new PhaseResult(spec, ops.sum(), misses.sum(), errors.sum(), firstError.get(), seconds, total, perOp, cpuSeconds,
            clientCpu.sum(), counters);
    }

    /** Set once by the driving thread; read by every client after each operation. */
    private static final class Stop {
        volatile boolean now;
    }
}
