package io.shardstore.bench.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.shardstore.bench.report.ProfileResult;
import io.shardstore.bench.report.ProfileResult.Share;

/**
 * Reads the text of {@code jfr print --events jdk.ExecutionSample} and counts samples: by the method on top of
 * the stack (self time), by area of the code anywhere on the stack (inclusive), and by thread.
 */
public final class JfrSummary {
    /** Areas by the frames they contain; first match per frame wins, a sample counts once per area. */
    private static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("socket I/O syscalls (sun.nio.ch read/write/epoll)", List.of("sun.nio.ch."));
        AREAS.put("wire decode (protocol.WireMessageDecoder, BsonValidator)", List.of("io.shardstore.protocol.WireMessageDecoder",
            "io.shardstore.protocol.BsonValidator"));
        AREAS.put("wire encode (protocol.WireMessageEncoder)", List.of("io.shardstore.protocol.WireMessageEncoder"));
        AREAS.put("router frontend (ClientHandler, RouterRequest)", List.of("io.shardstore.router.frontend."));
        AREAS.put("router command dispatch + planning (command, planner)", List.of("io.shardstore.router.command.",
            "io.shardstore.router.planner."));
        AREAS.put("router engine (plan primitives)", List.of("io.shardstore.router.engine."));
        AREAS.put("router gateway (ShardGateway, ShardPool)", List.of("io.shardstore.router.gateway."));
        AREAS.put("routing table (CatalogCache, Caffeine, sharding)", List.of("io.shardstore.router.topology.", "com.github.benmanes.caffeine.",
            "io.shardstore.sharding."));
        AREAS.put("Netty channel pool (FixedChannelPool)", List.of("io.netty.channel.pool."));
        AREAS.put("BSON (org.bson: raw documents, codecs)", List.of("org.bson."));
        AREAS.put("CompletableFuture chains", List.of("java.util.concurrent.CompletableFuture"));
        AREAS.put("logging", List.of("ch.qos.logback.", "org.slf4j."));
        AREAS.put("Netty event loop + pipeline", List.of("io.netty."));
    }

    private JfrSummary() {
    }

    public static ProfileResult summarize(String title, String file, String printed) {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> areas = new LinkedHashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> ours = new HashMap<>();
        Map<String, Long> bsonCallers = new HashMap<>();
        long samples = 0;
        List<String> stack = new ArrayList<>();
        String thread = "?";
        boolean inStack = false;
        for (String raw : printed.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("jdk.ExecutionSample")) {
                stack.clear();
                thread = "?";
            } else if (line.startsWith("sampledThread = ")) {
                int q = line.indexOf('"');
                int e = line.indexOf('"', q + 1);
                thread = q >= 0 && e > q ? threadGroup(line.substring(q + 1, e)) : "?";
            } else if (line.startsWith("stackTrace = [")) {
                inStack = true;
            } else if (inStack && line.startsWith("]")) {
                inStack = false;
                if (!stack.isEmpty()) {
                    samples++;
                    self.merge(stack.get(0), 1L, Long::sum);
                    threads.merge(thread, 1L, Long::sum);
                    Set<String> hit = new LinkedHashSet<>();
                    for (String frame : stack) {
                        String area = areaOf(frame);
                        if (area != null) {
                            hit.add(area);
                        }
                    }
                    hit.forEach(a -> areas.merge(a, 1L, Long::sum));
                    stack.stream().filter(f -> f.startsWith(PROJECT)).distinct().forEach(f -> ours.merge(f, 1L, Long::sum));
                    String caller = bsonCaller(stack);
                    if (caller != null) {
                        bsonCallers.merge(caller, 1L, Long::sum);
                    }
                }
            } else if (inStack && !line.equals("...") && !line.isEmpty()) {
                stack.add(method(line));
            }
        }
        return new ProfileResult(title, file, samples, top(self, samples, 20), top(areas, samples, AREAS.size()), top(threads, samples, 10),
            top(ours, samples, 25), top(bsonCallers, samples, 10),
            "jdk.ExecutionSample, every 1 ms per thread running Java code (JFR 'profile' settings with a shorter period); time in native code (socket syscalls, epoll) and GC is not in these samples");
    }

    private static final String PROJECT = "io.shardstore.";

    /** The project frame closest above the outermost org.bson frame (stacks are listed leaf first), or null. */
    static String bsonCaller(List<String> stack) {
        int outermostBson = -1;
        for (int i = 0; i < stack.size(); i++) {
            if (stack.get(i).startsWith("org.bson.")) {
                outermostBson = i;
            } else if (outermostBson >= 0 && stack.get(i).startsWith(PROJECT)) {
                return stack.get(i);
            }
        }
        return null;
    }

    /** "io.netty.Foo.bar(int, long) line: 12" -> "io.netty.Foo.bar". */
    static String method(String frame) {
        int paren = frame.indexOf('(');
        return paren > 0 ? frame.substring(0, paren) : frame;
    }

    private static String areaOf(String frame) {
        for (Map.Entry<String, List<String>> e : AREAS.entrySet()) {
            for (String prefix : e.getValue()) {
                if (frame.startsWith(prefix)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** "nioEventLoopGroup-3-2" -> "nioEventLoopGroup-3-*": threads of one pool together. */
    static String threadGroup(String name) {
        return name.replaceAll("-\\d+$", "-*");
    }

    private static List<Share> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
            .map(e -> new Share(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total)).toList();
    }
}
