package io.shardstore.bench.servers;

/** The plain TCP relay baseline: bytes in, bytes out, no protocol awareness. */
public interface Relay extends AutoCloseable {

    int port();

    /** "netty" (bench/'s own relay) or "haproxy" (when installed). */
    String kind();

    /** The relay's process id when it runs as its own process (so its CPU can be read), else -1. */
    long pid();

    @Override
    void close();
}
