package io.shardstore.bench.report;

import java.util.Map;

import org.HdrHistogram.Histogram;

import io.shardstore.bench.run.Aggregate;

/**
 * Routing-table refresh: how long the router's CatalogCache takes to pick up one split, per chunk count; and
 * whether requests to another collection keep flowing while a collection refreshes.
 *
 * @param refreshMicros  per chunk count, the refresh times (microseconds)
 * @param queryMicros    per chunk count, the two config-server reads of a refresh timed alone (microseconds)
 * @param quiet          reads of collection B with no refresh going on
 * @param storm          reads of B while collection A is split (and so refreshed by the router) in a loop
 * @param stormRefreshes router-side refreshes of A during the storm slices
 * @param paused         reads of B while A's refresh hangs on a paused (SIGSTOP) config server; null in-JVM
 * @param pausedSeconds  how long the config server was paused
 * @param pausedReadPendingAtEnd whether the read of A was still waiting when B's slice ended (it should be)
 * @param pausedReadMillis how long the read of A took in the end (refresh included)
 * @param pausedReadError what the read of A ended with, if it failed
 */
public record RefreshResult(Map<Integer, Histogram> refreshMicros, Map<Integer, Histogram> queryMicros, Aggregate quiet, Aggregate storm, long stormRefreshes,
                            Histogram stormSplitMicros, Aggregate paused, double pausedSeconds, boolean pausedReadPendingAtEnd,
                            double pausedReadMillis, String pausedReadError) {
}
