package io.shardstore.bench.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/** What the bench reads from /proc about a process, checked on this JVM itself. */
class ProcFsTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void cpuTimeGrowsWithWork() {
        assumeTrue(ProcFs.available());
        long before = ProcFs.cpuNanos(SELF);
        long x = 0;
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        assertTrue(ProcFs.cpuNanos(SELF) - before >= 100_000_000L, "300 ms of spinning showed as " + (ProcFs.cpuNanos(SELF) - before) + " ns " + x);
        assertEquals(-1, ProcFs.cpuNanos(Long.MAX_VALUE));
    }

    @Test
    void residentMemoryIsReported() {
        assumeTrue(ProcFs.available());
        long rss = ProcFs.rssBytes(SELF);
        assertTrue(rss > 10L << 20 && rss < 64L << 30, "RSS " + rss);
        assertTrue(ProcFs.statusBytes(SELF, "VmHWM") >= rss);
    }

    @Test
    void countsThisProcessConnectionsToAPort() throws Exception {
        assumeTrue(ProcFs.available());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket acceptedA = server.accept();
             Socket acceptedB = server.accept()) {
            assertEquals(2, ProcFs.connectionsTo(SELF, server.getLocalPort()));
        }
    }
}
