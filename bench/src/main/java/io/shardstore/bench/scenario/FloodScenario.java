package io.shardstore.bench.scenario;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.shardstore.bench.servers.ProcFs;

/**
 * The flood of issue 12: N connections each announce a 47 MB message and send 1 MB of it, then hold; meanwhile one
 * driver client pings the router in a closed loop. Measured per N: how many attackers the router cut off, the other
 * client's ping latency before, during and after the flood (failures counted), and the router's resident memory.
 */
public final class FloodScenario {
    private static final int ANNOUNCED = 47_000_000;
    private static final int SENT = 1024 * 1024;
    private static final long PHASE_MILLIS = 5_000;

    private FloodScenario() {
    }

    public static void run(BenchContext ctx) throws Exception {
        ctx.progress.section("Flood: connections announcing " + ANNOUNCED / 1_000_000 + " MB and sending 1 MB, against the router, "
            + "while another client pings");
        long routerPid = ctx.cluster.pid("router");
        int port = Integer.parseInt(ctx.cluster.routerUri().replaceAll(".*:(\\d+).*", "$1"));
        StringBuilder md = new StringBuilder();
        md.append("## Flood (issue 12)\n\n")
            .append("N raw connections to the router each send a header announcing a ").append(ANNOUNCED / 1_000_000)
            .append(" MB message and 1 MB of it, then hold the connection open for ").append(PHASE_MILLIS / 1000)
            .append(" s; they are opened by 32 threads. Another client (the Java driver, default options) pings the router in a ")
            .append("closed loop throughout: before the flood (").append(PHASE_MILLIS / 1000).append(" s), during it (until every ")
            .append("attacker has sent or been cut off, plus the hold) and after the attackers close (").append(PHASE_MILLIS / 1000)
            .append(" s). Router RSS from /proc; `cut` = attackers whose connection the router closed (its ")
            .append("`--maxIncompleteMessageBytes` bound), from serverStatus.\n\n")
            .append("| connections | cut | ping p50 / p99 / max ms before | during | after | ping failures | router RSS before / max during / after |\n")
            .append("| ---: | ---: | --- | --- | --- | ---: | --- |\n");
        for (int n : ctx.settings.floodConnections) {
            md.append(round(ctx, port, routerPid, n)).append('\n');
        }
        md.append('\n');
        ctx.results.flood = md.toString();
        Files.writeString(ctx.settings.out.resolve("flood.md"), md.toString());
    }

    private static String round(BenchContext ctx, int port, long routerPid, int n) throws Exception {
        AtomicReference<Histogram> phase = new AtomicReference<>(new Histogram(3));
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong rssMax = new AtomicLong(-1);
        long closedBefore = closedOverBytes(ctx);
        Thread pinger;
        try (MongoClient client = MongoClients.create(ctx.cluster.routerUri())) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            pinger = new Thread(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        client.getDatabase("admin").runCommand(new Document("ping", 1));
                        phase.get().recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            }, "flood-pinger");
            pinger.start();
            long rssBefore = rss(routerPid);
            awaitMillis(PHASE_MILLIS);
            Histogram before = phase.getAndSet(new Histogram(3));

            ctx.progress.update(String.format("flood of %,d connections", n));
            ConcurrentLinkedQueue<SocketChannel> open = new ConcurrentLinkedQueue<>();
            AtomicInteger cutWhileSending = new AtomicInteger();
            ExecutorService attackers = Executors.newFixedThreadPool(32);
            Thread sampler = new Thread(() -> {
                while (!stop.get()) {
                    rssMax.accumulateAndGet(rss(routerPid), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a sampling period
                }
            }, "flood-rss");
            sampler.start();
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(attackers.submit(() -> {
                    try {
                        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                        open.add(ch);
                        ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                        header.putInt(ANNOUNCED).putInt(1).putInt(0).putInt(2013).flip();
                        ch.write(header);
                        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                        for (int left = SENT - 16; left > 0; left -= chunk.capacity()) {
                            chunk.clear().limit(Math.min(chunk.capacity(), left));
                            while (chunk.hasRemaining()) {
                                ch.write(chunk);
                            }
                        }
                    } catch (IOException e) {
                        cutWhileSending.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(10, TimeUnit.MINUTES);
            }
            attackers.shutdown();
            awaitMillis(PHASE_MILLIS);
            long cut = closedOverBytes(ctx) - closedBefore;
            Histogram during = phase.getAndSet(new Histogram(3));
            for (SocketChannel ch : open) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            awaitMillis(PHASE_MILLIS);
            Histogram after = phase.getAndSet(new Histogram(3));
            stop.set(true);
            pinger.join(30_000);
            sampler.join(5_000);
            long rssAfter = rss(routerPid);
            String row = String.format("| %,d | %,d | %s | %s | %s | %d | %s / %s / %s |", n, cut, ms(before), ms(during), ms(after),
                failures.get(), IdleScenario.mib(rssBefore), IdleScenario.mib(rssMax.get()), IdleScenario.mib(rssAfter));
            ctx.progress.note(String.format("flood x%,d: cut %,d (%,d saw it while sending); ping p99 before %.1f ms, during %.1f ms, "
                + "after %.1f ms; %d failures; RSS max %s", n, cut, cutWhileSending.get(), before.getValueAtPercentile(99) / 1000.0,
                during.getValueAtPercentile(99) / 1000.0, after.getValueAtPercentile(99) / 1000.0, failures.get(), IdleScenario.mib(rssMax.get())));
            return row;
        }
    }

    /** The router's resident memory, or -1 (shown as n/a) when it runs in this JVM (--quick, --in-jvm). */
    private static long rss(long routerPid) {
        return routerPid > 0 ? ProcFs.rssBytes(routerPid) : -1;
    }

    private static long closedOverBytes(BenchContext ctx) {
        Document status = ctx.router.client().getDatabase("admin").runCommand(new Document("serverStatus", 1));
        Document incomplete = status.get("connections", Document.class).get("incompleteMessages", Document.class);
        return incomplete == null ? 0 : ((Number) incomplete.get("closedOverBytes")).longValue();
    }

    private static String ms(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no ping answered";
        }
        return String.format("%.2f / %.2f / %.1f", h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
            h.getMaxValue() / 1000.0);
    }

    /** A measured phase lasts this long: the load (pings, flood) runs meanwhile; nothing is being waited for. */
    private static void awaitMillis(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }
}
