package io.shardstore.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.util.concurrent.FastThreadLocalThread;

/** Every thread's additions are in the sum once the threads are done, each counter apart from the others. */
class PerThreadCountersTest {

    @Test
    void theSumHoldsEveryThreadsAdditions() throws InterruptedException {
        PerThreadCounters counters = new PerThreadCounters(3);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            // Event loops are FastThreadLocalThreads; the two last threads are plain ones (a catalog thread, a timer).
            Runnable work = () -> {
                for (int i = 0; i < 100_000; i++) {
                    counters.add(0, 1);
                    counters.add(2, id);
                }
            };
            threads.add(t < 2 ? new FastThreadLocalThread(work) : new Thread(work));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(400_000, counters.sum(0));
        assertEquals(0, counters.sum(1));
        assertEquals(100_000L * (0 + 1 + 2 + 3), counters.sum(2));
        counters.add(1, 5);
        assertEquals(5, counters.sum(1));
    }
}
