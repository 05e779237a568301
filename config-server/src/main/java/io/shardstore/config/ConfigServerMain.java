package io.shardstore.config;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.shardstore.node.NodeOptions;
import io.shardstore.node.storage.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/config-server}: the sharding catalog on its own node, like {@code mongod --configsvr}. */
@Command(name = "config-server", mixinStandardHelpOptions = true, version = "config-server 0.1.0",
    description = "The config server of a sharded cluster: catalog, DDL, balancer.")
public final class ConfigServerMain implements Callable<Integer> {

    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port = ConfigServer.DEFAULT_PORT;

    @Option(names = {"--bind_ip", "--bind-ip"}, description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bindIp = "127.0.0.1";

    @Option(names = "--dbpath", description = "data directory; without it the catalog lives in memory only")
    Path dbPath;

    @Option(names = "--logpath", description = "log file; without it the log goes to standard output")
    Path logPath;

    @Option(names = "--replSet", description = "member of this config replica set (then rs.initiate(); only the primary runs DDL and the balancer)")
    String replSet;

    @Option(names = "--balancerIntervalMillis", description = "time between balancer rounds (default: ${DEFAULT-VALUE})")
    long balancerIntervalMillis = 5_000;

    private final List<String> argv;

    ConfigServerMain(List<String> argv) {
        this.argv = argv;
    }

    @picocli.CommandLine.Mixin
    io.shardstore.protocol.TlsOptionsMixin tlsOptions = new io.shardstore.protocol.TlsOptionsMixin();

    @picocli.CommandLine.Mixin
    io.shardstore.protocol.IncomingLimitsOptions limitOptions = new io.shardstore.protocol.IncomingLimitsOptions();

    @picocli.CommandLine.Option(names = "--auth", description = "clients must authenticate and are allowed what their roles allow")
    boolean auth;

    @picocli.CommandLine.Option(names = "--keyFile", description = "the cluster's shared key (members, config servers and "
        + "routers log in to each other with it as __system); implies --auth")
    java.nio.file.Path keyFile;

    @Override
    public Integer call() throws InterruptedException {
        if (logPath != null) {
            System.setProperty("LOG_FILE", logPath.toAbsolutePath().toString());
            System.setProperty("logback.configurationFile", "logback-file.xml");
        }
        ConfigServer server;
        try {
            io.shardstore.security.SecurityOptions security = keyFile != null
                ? io.shardstore.security.SecurityOptions.withKey(io.shardstore.security.KeyFile.read(keyFile))
                : auth ? io.shardstore.security.SecurityOptions.AUTH : io.shardstore.security.SecurityOptions.OFF;
            security = security.withTls(tlsOptions.options());
            server = ConfigServer.start(new NodeOptions(bindIp, port, dbPath, logPath, replSet, 100, argv)
                .withIncoming(limitOptions.limits()).withSecurity(security), balancerIntervalMillis);
        } catch (StartupException e) {
            System.err.println("config-server: " + e.getMessage());
            return 48;
        } catch (IllegalArgumentException e) {
            System.err.println("config-server: " + e.getMessage());
            return 2; // mongod's exit code for bad options
        }
        // The shutdown command ends the process; the hook below closes the node on the way out.
        server.node().onShutdown(() -> System.exit(0));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ConfigServerMain(List.of(args))).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
