package io.shardstore.router;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.shardstore.protocol.IncomingLimits;
import io.shardstore.protocol.IncomingLimitsOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/router --configdb HOST:PORT}: the mongos-like router. */
@Command(name = "router", mixinStandardHelpOptions = true, version = "router 0.1.0 (speaks MongoDB 7.0 as mongos)",
    description = "The router of a sharded cluster: point MongoDB drivers and mongosh at it.")
public final class RouterMain implements Callable<Integer> {

    /**
     * The JVM options the router runs with (bin/router, bin/cluster, bin/bench; decision 0007): a heap sized for
     * what the router holds (routing tables, cursors, in-flight replies) that is returned when idle, so thousands
     * of idle client connections do not sit on a heap grown by an earlier load peak. Netty's leak detector is off
     * (decision 0008): it records a stack trace for one buffer in 128, a cost on every request path; the tests,
     * which run the router in their own JVM, keep it on. No hsperfdata (-XX:-UsePerfData): its sampler thread wakes
     * 20 times a second and cost the router 2 ms of CPU a second idle, 8 under load (issue 15; jcmd still attaches by
     * pid, only jps and jstat no longer list the router).
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
        "-Dio.netty.leakDetection.level=disabled");

    @Option(names = "--configdb", required = true, description = "the config server, HOST:PORT or RS/HOST:PORT,...")
    String configDb;

    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port = RouterOptions.DEFAULT_PORT;

    @Option(names = {"--bind_ip", "--bind-ip"}, description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bindIp = "127.0.0.1";

    @Option(names = "--logpath", description = "log file; without it the log goes to standard output")
    Path logPath;

    @Option(names = "--poolSize", description = "connections per shard host (default: ${DEFAULT-VALUE})")
    int poolSize = 32;

    @Option(names = "--failoverTimeoutMS", description = "how long a request waits for a replica-set shard's new primary "
        + "(or a member matching its read preference) (default: ${DEFAULT-VALUE})")
    long failoverMillis = 20_000;

    @Option(names = "--heartbeatFrequencyMS", description = "how often replica-set members are checked, at least 500; a "
        + "member's change of state is pushed at once by its awaitable hello (default: ${DEFAULT-VALUE}, as mongos and the drivers)")
    long heartbeatMillis = 10_000;

    @Option(names = "--ioThreads", description = "event loops for client and shard connections; 0: one per two cores, at least one (default: ${DEFAULT-VALUE})")
    int ioThreads = 0;

    @Option(names = "--setParameter", description = "name=value; known: enableTestCommands=1 (configureFailPoint)")
    List<String> parameters;

    @picocli.CommandLine.Mixin
    io.shardstore.protocol.TlsOptionsMixin tlsOptions = new io.shardstore.protocol.TlsOptionsMixin();

    @CommandLine.Mixin
    IncomingLimitsOptions limitOptions = new IncomingLimitsOptions();

    @Option(names = "--auth", description = "clients must authenticate (SCRAM-SHA-256 / SCRAM-SHA-1, users of the config "
        + "server) and are allowed what their roles allow; the first user may be created from localhost")
    boolean auth;

    @Option(names = "--keyFile", description = "the cluster's shared key: the router logs in to shards and config servers "
        + "with it (as __system); implies --auth")
    Path keyFile;

    private final List<String> argv;

    RouterMain(List<String> argv) {
        this.argv = argv;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (logPath != null) {
            System.setProperty("LOG_FILE", logPath.toAbsolutePath().toString());
            System.setProperty("logback.configurationFile", "logback-file.xml");
        }
        CachedLevelLoggerFactory.install(); // after Logback's configuration is chosen, before any event loop starts
        boolean testCommands;
        IncomingLimits limits;
        io.shardstore.security.SecurityOptions security;
        try {
            testCommands = io.shardstore.protocol.SetParameters.parse(parameters, java.util.Set.of("enableTestCommands")).testCommands();
            limits = limitOptions.limits();
            security = keyFile != null ? io.shardstore.security.SecurityOptions.withKey(io.shardstore.security.KeyFile.read(keyFile))
                : auth ? io.shardstore.security.SecurityOptions.AUTH : io.shardstore.security.SecurityOptions.OFF;
            security = security.withTls(tlsOptions.options());
        } catch (IllegalArgumentException e) {
            System.err.println("router: " + e.getMessage());
            return 2; // mongos's exit code for bad options
        }
        Router router;
        try {
            router = Router.start(new RouterOptions(bindIp, port, configDb, poolSize, 30_000, failoverMillis, Math.max(500, heartbeatMillis),
                ioThreads, argv, testCommands, limits, security));
        } catch (Router.RouterStartException e) {
            System.err.println("router: " + e.getMessage());
            return 48;
        }
        router.onShutdown(() -> System.exit(0)); // the hook below closes the router on the way out
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            router.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new RouterMain(List.of(args))).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
