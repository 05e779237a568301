package io.shardstore.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Injects one fault at a time until the deadline, seeded: every kind once in a shuffled order, then kinds at random.
 * A fault lasts 2-6 s and is healed (restart on the same data directory, SIGCONT, rules removed) before the next.
 */
final class Nemesis implements Runnable {
    enum Fault {
        KILL_SHARD_PRIMARY, STOP_SHARD_PRIMARY, KILL_CONFIG_PRIMARY, STOP_CONFIG_PRIMARY, KILL_ROUTER, STOP_ROUTER,
        PARTITION_MEMBER
    }

    private final FaultCluster cluster;
    private final Random random;
    private final long deadlineNanos;
    private final long startNanos = System.nanoTime();
    final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    Nemesis(FaultCluster cluster, long seed, long deadlineNanos) {
        this.cluster = cluster;
        this.random = new Random(seed);
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run() {
        List<Fault> order = new ArrayList<>(List.of(Fault.values()));
        Collections.shuffle(order, random);
        pause(1000 + random.nextInt(1000));
        int i = 0;
        while (System.nanoTime() < deadlineNanos - TimeUnit.SECONDS.toNanos(3)) {
            Fault fault = i < order.size() ? order.get(i) : Fault.values()[random.nextInt(Fault.values().length)];
            i++;
            try {
                inject(fault);
            } catch (Exception e) {
                log.add(fault + " failed: " + e);
            }
            pause(500 + random.nextInt(1500));
        }
    }

    private void inject(Fault fault) throws Exception {
        String shard = "shard" + random.nextInt(2);
        FaultCluster.Member target = switch (fault) {
            case KILL_SHARD_PRIMARY, STOP_SHARD_PRIMARY -> cluster.primaryOf(shard);
            case KILL_CONFIG_PRIMARY, STOP_CONFIG_PRIMARY -> cluster.primaryOf("configRS");
            case KILL_ROUTER, STOP_ROUTER -> cluster.members().get("router");
            case PARTITION_MEMBER -> {
                List<FaultCluster.Member> data = cluster.members().values().stream().filter(m -> !m.name().equals("router")).toList();
                yield data.get(random.nextInt(data.size()));
            }
        };
        if (target == null) {
            log.add(fault + ": no primary to hit now (" + shard + ")");
            return;
        }
        long hold = 2000 + random.nextInt(4000);
        long at = System.nanoTime();
        switch (fault) {
            case KILL_SHARD_PRIMARY, KILL_CONFIG_PRIMARY, KILL_ROUTER -> {
                cluster.kill9(target);
                pause(hold);
                cluster.restart(target);
            }
            case STOP_SHARD_PRIMARY, STOP_CONFIG_PRIMARY, STOP_ROUTER -> {
                cluster.stop(target);
                pause(hold);
                cluster.resume(target);
            }
            case PARTITION_MEMBER -> {
                cluster.partition(target);
                pause(hold);
                cluster.heal(target);
            }
        }
        injected.merge(fault, 1, Integer::sum);
        log.add(String.format("%s %s for %d ms (at +%d ms)", fault, target.name(), hold, TimeUnit.NANOSECONDS.toMillis(at - startNanos)));
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
