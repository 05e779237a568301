package io.shardstore.bench.report;

import java.util.List;

/**
 * Idle client connections held open against the router, then load on top of them.
 *
 * @param rssBeforeBytes router resident memory before opening them (-1 when not measurable: in-JVM)
 * @param rssIdleBytes   with all of them open and idle
 * @param rssLoadBytes   at the end of the load on top
 * @param hwmBytes       router peak resident memory (VmHWM) over its life
 * @param routerConnections the router's serverStatus connections.current with all of them open
 * @param backendMax      per shard, the most connections the router process held to it during the load (/proc), -1 in-JVM
 * @param shardCurrentMax per shard, the most serverStatus connections.current seen during the load (all clients of the shard)
 * @param shardCurrentBefore per shard, connections.current before the router saw any load (the bench's own, config server's)
 * @param heapCommittedBytes router Java heap committed with the idle connections open (jcmd GC.heap_info), -1 in-JVM
 * @param heapUsedBytes      router Java heap in use at the same moment
 * @param rssAfterGcBytes    router RSS after a full GC (jcmd GC.run) with the connections still open: what they really hold
 */
public record IdleResult(int requested, int opened, String openError, double openSeconds, long rssBeforeBytes, long rssIdleBytes,
                         long rssLoadBytes, long hwmBytes, int routerConnections, int loadClients, double loadThroughput,
                         long loadErrors, List<Integer> backendMax, List<Integer> shardCurrentMax, List<Integer> shardCurrentBefore,
                         int poolSize, long heapCommittedBytes, long heapUsedBytes, long rssAfterGcBytes) {
}
