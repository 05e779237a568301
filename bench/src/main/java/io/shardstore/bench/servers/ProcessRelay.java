package io.shardstore.bench.servers;

/** A relay running as its own process (bench/'s Netty relay or haproxy), so its CPU can be read from /proc. */
record ProcessRelay(String kind, ChildProcess process) implements Relay {

    @Override
    public int port() {
        return process.port();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
