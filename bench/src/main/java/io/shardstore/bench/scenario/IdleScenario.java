package io.shardstore.bench.scenario;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

import io.shardstore.bench.BenchSettings;
import io.shardstore.bench.report.IdleResult;
import io.shardstore.bench.run.PhaseResult;
import io.shardstore.bench.run.PhaseSpec;
import io.shardstore.bench.servers.ProcFs;
import io.shardstore.bench.ycsb.Workloads;

/**
 * 10,000 idle client connections against the router: each connects and completes a {@code hello}, as a
 * driver's pool connection would, then stays silent. Measured: the router's resident memory, and, with load
 * from the largest client count on top, how many connections the router opens to each shard (bounded by its
 * pool size however many clients it has).
 */
public final class IdleScenario {

    private IdleScenario() {
    }

    public static void run(BenchContext ctx) throws Exception {
        var s = ctx.settings;
        ctx.progress.section("Idle connections: " + s.idleConnections + " against the router, then load from "
            + s.maxClients() + " clients on top");
        long routerPid = ctx.cluster.pid("router");
        int n = ctx.cluster.shardCount();
        List<Integer> before = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            before.add(ctx.shardConnections(i));
        }
        long rssBefore = routerPid > 0 ? ProcFs.rssBytes(routerPid) : -1;
        List<SocketChannel> idle = new ArrayList<>();
        String openError = null;
        long t0 = System.nanoTime();
        try {
            int port = Integer.parseInt(ctx.cluster.routerUri().replaceAll(".*:(\\d+).*", "$1"));
            ByteBuffer hello = hello();
            ByteBuffer reply = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < s.idleConnections; i++) {
                try {
                    SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                    idle.add(ch);
                    ch.write(hello.duplicate());
                    readReply(ch, reply);
                } catch (IOException e) {
                    openError = "after " + idle.size() + " connections: " + e;
                    break;
                }
                if (i % 500 == 0) {
                    ctx.progress.update(String.format("opened %,d / %,d idle connections", i, s.idleConnections));
                }
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            long rssIdle = routerPid > 0 ? ProcFs.rssBytes(routerPid) : -1;
            Document status = ctx.router.client().getDatabase("admin").runCommand(new Document("serverStatus", 1));
            int routerConnections = ((Number) status.get("connections", Document.class).get("current")).intValue();
            long[] heap = routerPid > 0 ? heapInfo(routerPid) : new long[] {-1, -1};
            ctx.progress.note(String.format("%,d idle connections open in %.1f s; router reports %,d connections, RSS %s (Java heap %s committed, %s used)",
                idle.size(), openSeconds, routerConnections, mib(rssIdle), mib(heap[0]), mib(heap[1])));

            // Load on the widest layout so every shard's pool is exercised, sampling backend connections meanwhile.
            List<Integer> backendMax = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Integer> currentMax = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                backendMax.add(routerPid > 0 ? 0 : -1);
                currentMax.add(0);
            }
            // Sampled every 100 ms while the load runs (a fixed-rate sampler, not a wait for some state).
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        if (routerPid > 0) {
                            backendMax.set(i, Math.max(backendMax.get(i), ProcFs.connectionsTo(routerPid, ctx.cluster.shardPort(i))));
                        }
                        currentMax.set(i, Math.max(currentMax.get(i), ctx.shardConnections(i)));
                    }
                } catch (RuntimeException e) {
                    ctx.progress.note("connection sampling failed once: " + e); // a throw would cancel the schedule
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            PhaseResult load;
            try {
                load = ctx.runner.run(new PhaseSpec("idle+load", Workloads.TARGETED_READ, BenchSettings.DATABASE, ctx.layout(s.maxShards()),
                    ctx.router, s.maxClients(), s.slice, s.operationCount));
            } finally {
                sampler.shutdown();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
            long rssLoad = routerPid > 0 ? ProcFs.rssBytes(routerPid) : -1;
            long hwm = routerPid > 0 ? ProcFs.statusBytes(routerPid, "VmHWM") : -1;
            ctx.progress.note(String.format("load x%d on top: %,.0f ops/s; router connections per shard (max) %s, shards' connections.current (max) %s"
                + " (before: %s); router RSS %s, peak %s", s.maxClients(), load.throughput(), backendMax, currentMax, before, mib(rssLoad), mib(hwm)));
            long rssAfterGc = -1;
            if (routerPid > 0) {
                // A full GC lets G1 give back heap it grew for earlier load: the RSS left is what the connections hold.
                ProfileScenario.exec("jcmd", Long.toString(routerPid), "GC.run");
                rssAfterGc = ProcFs.rssBytes(routerPid);
                ctx.progress.note("router RSS after a full GC, connections still open: " + mib(rssAfterGc));
            }
            ctx.results.idle = new IdleResult(s.idleConnections, idle.size(), openError, openSeconds, rssBefore, rssIdle, rssLoad, hwm,
                routerConnections, s.maxClients(), load.throughput(), load.errors(), backendMax, currentMax, before,
                ctx.cluster.routerPoolSize(), heap[0], heap[1], rssAfterGc);
        } finally {
            for (SocketChannel ch : idle) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    /** {committed, used} bytes of the Java heap from {@code jcmd <pid> GC.heap_info} ("... total 262144K, used 123456K ..."). */
    static long[] heapInfo(long pid) {
        try {
            String text = ProfileScenario.exec("jcmd", Long.toString(pid), "GC.heap_info");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(text);
            if (m.find()) {
                return new long[] {Long.parseLong(m.group(1)) * 1024, Long.parseLong(m.group(2)) * 1024};
            }
        } catch (IOException | InterruptedException e) {
            // no jcmd: the figure stays unknown
        }
        return new long[] {-1, -1};
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f MiB", bytes / 1048576.0);
    }

    /** An OP_MSG hello on admin, as a driver's connection handshake sends (minus client metadata). */
    static ByteBuffer hello() {
        RawBsonDocument body = new RawBsonDocument(new BsonDocument("hello", new BsonInt32(1)).append("$db", new BsonString("admin")),
            new BsonDocumentCodec());
        ByteBuffer bytes = body.getByteBuffer().asNIO();
        int length = 16 + 4 + 1 + bytes.remaining();
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).putInt(1).putInt(0).putInt(2013).putInt(0).put((byte) 0).put(bytes);
        return b.flip();
    }

    /** Reads one whole reply frame (blocking), so the connection is fully set up before the next one opens. */
    private static void readReply(SocketChannel ch, ByteBuffer buf) throws IOException {
        buf.clear().order(ByteOrder.LITTLE_ENDIAN);
        int need = 4;
        while (buf.position() < need) {
            if (ch.read(buf) < 0) {
                throw new IOException("router closed the connection");
            }
            if (buf.position() >= 4) {
                need = buf.getInt(0);
                if (need > buf.capacity() || need < 16) {
                    throw new IOException("unexpected reply length " + need);
                }
            }
        }
    }
}
