package io.shardstore.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import io.shardstore.node.storage.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/shard-node}: starts a node with mongod-like options and runs until killed. */
@Command(name = "shard-node", mixinStandardHelpOptions = true, version = "shard-node 0.1.0 (speaks MongoDB 7.0)",
    description = "A mongod-like node that speaks the MongoDB wire protocol.")
public final class ShardNodeMain implements Callable<Integer> {

    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port = NodeOptions.DEFAULT_PORT;

    @Option(names = {"--bind_ip", "--bind-ip"}, description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bindIp = "127.0.0.1";

    @Option(names = "--dbpath", description = "data directory; without it data lives in memory only")
    Path dbPath;

    @Option(names = "--logpath", description = "log file; without it the log goes to standard output")
    Path logPath;

    @Option(names = "--replSet", description = "replica set name: the node is a member of that set (start it, then replSetInitiate / rs.initiate())")
    String replSet;

    @Option(names = "--journalCommitInterval", description = "milliseconds between group commits (default: ${DEFAULT-VALUE})")
    long journalCommitIntervalMillis = 100;

    @Option(names = "--oplogSizeMB", description = "maximum size of the capped oplog in megabytes (default: 5% of the JVM's maximum heap, 50 MB to 50 GB)")
    long oplogSizeMB;

    @Option(names = "--auth", description = "clients must authenticate (SCRAM-SHA-256 / SCRAM-SHA-1) and are allowed what their "
        + "roles allow; the first user may be created from localhost")
    boolean auth;

    @Option(names = "--keyFile", description = "the cluster's shared key: members, config servers and routers log in to "
        + "each other with it (as __system); implies --auth")
    java.nio.file.Path keyFile;

    @picocli.CommandLine.Mixin
    io.shardstore.protocol.TlsOptionsMixin tlsOptions = new io.shardstore.protocol.TlsOptionsMixin();

    @picocli.CommandLine.Mixin
    io.shardstore.protocol.IncomingLimitsOptions limitOptions = new io.shardstore.protocol.IncomingLimitsOptions();

    @Option(names = "--plain", description = "behave as a mongod started without --shardsvr: refuse requests that carry a "
        + "shardVersion, and the _shardsvr* commands (NoShardingEnabled, 193)")
    boolean plain;

    @Option(names = "--setParameter", description = "name=value; known: enableTestCommands=1 (configureFailPoint), "
        + "ttlMonitorSleepSecs=N (how often TTL indexes' expired documents are deleted; 60)")
    List<String> parameters;

    private final List<String> argv;

    ShardNodeMain(List<String> argv) {
        this.argv = argv;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (logPath != null) {
            // Must be set before the first logger is created.
            System.setProperty("LOG_FILE", logPath.toAbsolutePath().toString());
            System.setProperty("logback.configurationFile", "logback-file.xml");
        }
        io.shardstore.protocol.SetParameters.Values set;
        io.shardstore.protocol.IncomingLimits limits;
        io.shardstore.security.SecurityOptions security;
        try {
            set = io.shardstore.protocol.SetParameters.parse(parameters, java.util.Set.of("enableTestCommands", "ttlMonitorSleepSecs"));
            limits = limitOptions.limits();
            security = keyFile != null ? io.shardstore.security.SecurityOptions.withKey(io.shardstore.security.KeyFile.read(keyFile))
                : auth ? io.shardstore.security.SecurityOptions.AUTH : io.shardstore.security.SecurityOptions.OFF;
            security = security.withTls(tlsOptions.options());
        } catch (IllegalArgumentException e) {
            System.err.println("shard-node: " + e.getMessage());
            return 2; // mongod's exit code for bad options
        }
        ShardNode node;
        try {
            node = ShardNode.start(new NodeOptions(bindIp, port, dbPath, logPath, replSet, journalCommitIntervalMillis, argv, oplogSizeMB,
                set.testCommands(), set.ttlMonitorSleepSecs(), limits,
                security, plain));
        } catch (StartupException e) {
            System.err.println("shard-node: " + e.getMessage());
            return 48; // mongod's exit code for a failed listen / unusable data directory
        }
        // The shutdown command ends the process; the hook below closes the node on the way out.
        node.onShutdown(() -> System.exit(0));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ShardNodeMain(List.of(args))).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
