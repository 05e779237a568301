package io.shardstore.bench.servers;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The Netty relay as its own process, so the bench can read its CPU and memory like the router's. */
@Command(name = "relay", mixinStandardHelpOptions = true, description = "A plain TCP relay (the benchmark baseline).")
public final class RelayMain implements Callable<Integer> {

    @Option(names = "--port", required = true, description = "port to listen on")
    int port;

    @Option(names = "--target", required = true, description = "HOST:PORT to relay to")
    String target;

    @Override
    public Integer call() throws InterruptedException {
        int colon = target.lastIndexOf(':');
        NettyRelay relay = NettyRelay.start("127.0.0.1", port, target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        System.out.println("relay listening on 127.0.0.1:" + relay.port() + " -> " + target);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new RelayMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
