package io.shardstore.bench.servers;

import io.shardstore.bench.run.CpuSampler;

/**
 * The system under test: a config server, shards and a router, plus the relay in front of shard 0. Either
 * every server in its own process (full runs: CPU and memory per process) or all in this JVM (quick runs).
 */
public interface BenchCluster extends AutoCloseable {

    String routerUri();

    /** Direct connection to shard {@code i}. */
    String shardUri(int i);

    /** Through the relay to shard 0. */
    String relayUri();

    String configUri();

    int shardCount();

    int shardPort(int i);

    Relay relay();

    CpuSampler cpu();

    /** Whether each server is its own process (then {@link #pid} answers and per-process figures exist). */
    boolean separateProcesses();

    /** Process id of "router", "relay", "config" or "shardN", or -1 (in-JVM, or not a process of ours). */
    long pid(String process);

    /** Pauses or resumes a server process (SIGSTOP / SIGCONT); only with separate processes. */
    void signal(String process, String signal) throws Exception;

    /** The router pool size per shard host (backend connections are bounded by it). */
    int routerPoolSize();

    String describe();

    @Override
    void close();
}
