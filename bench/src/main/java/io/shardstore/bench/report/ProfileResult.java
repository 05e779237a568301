package io.shardstore.bench.report;

import java.util.List;

/**
 * Where the router's CPU went under a load ({@code title}), from a JFR recording (jdk.ExecutionSample).
 *
 * @param topSelf      methods on top of the stack (self time), most samples first
 * @param categories   inclusive share of samples by area (a sample counts once per area on its stack)
 * @param threads      samples per thread group (event loops, catalog, GC is not sampled here)
 * @param routerMethods project methods by inclusive samples (the method is anywhere on the stack)
 * @param bsonCallers  for samples doing BSON work, the project method nearest above it on the stack: who asks for it
 */
public record ProfileResult(String title, String jfrFile, long samples, List<Share> topSelf, List<Share> categories, List<Share> threads,
                            List<Share> routerMethods, List<Share> bsonCallers, String note) {

    public record Share(String name, long samples, double percent) {
    }
}
