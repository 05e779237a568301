package io.shardstore.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.replication.PeerClient;
import io.shardstore.protocol.ErrorCode;

/**
 * Brings started members to a working set, for {@code bin/cluster} and {@link LocalCluster}: replSetInitiate on the
 * first member (a set already initiated, as after a restart from --dbpath, is left as it is), then, once every member
 * has the config and none knows a primary, replSetStepUp to the first member instead of waiting out the election
 * timeout. So the first member is normally the first primary.
 */
public final class ReplicaSetBootstrap {
    private static final long STEP_UP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private ReplicaSetBootstrap() {
    }

    /** @return the index in {@code hosts} of the member that became primary */
    public static int initiate(List<String> hosts, Document config, Duration timeout) throws IOException {
        return initiate(hosts, config, timeout, null);
    }

    /** As {@link #initiate(List, Document, Duration)}, logged in to the members as __system with the cluster's key. */
    public static int initiate(List<String> hosts, Document config, Duration timeout, io.shardstore.security.KeyFile key) throws IOException {
        return initiate(hosts, config, timeout, key, io.shardstore.protocol.TlsOptions.DISABLED);
    }

    /** ... and over TLS when {@code tls} says this process's own connections use it. */
    public static int initiate(List<String> hosts, Document config, Duration timeout, io.shardstore.security.KeyFile key,
                               io.shardstore.protocol.TlsOptions tls) throws IOException {
        List<PeerClient> members = new ArrayList<>();
        for (String host : hosts) {
            members.add(new PeerClient(host, 5_000, key, tls));
        }
        try {
            Document reply = members.get(0).run("admin", new Document("replSetInitiate", config));
            if (!isOk(reply) && !(reply.get("code") instanceof Number code && code.intValue() == ErrorCode.AlreadyInitialized.code())) {
                throw new IOException("replSetInitiate on " + hosts.get(0) + " failed: " + reply.get("errmsg"));
            }
            return awaitPrimary(members, config.get("_id"), timeout);
        } finally {
            members.forEach(PeerClient::close);
        }
    }

    private static int awaitPrimary(List<PeerClient> members, Object setName, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextStepUp = System.nanoTime();
        while (true) {
            boolean allConfigured = true;
            boolean primaryKnown = false;
            for (int i = 0; i < members.size(); i++) {
                Document hello = tryRun(members.get(i), new Document("hello", 1));
                if (hello == null || hello.get("setName") == null) {
                    allConfigured = false;
                } else if (Boolean.TRUE.equals(hello.get("isWritablePrimary"))) {
                    return i;
                } else {
                    primaryKnown |= hello.get("primary") != null;
                }
            }
            long now = System.nanoTime();
            if (allConfigured && !primaryKnown && now >= nextStepUp) {
                tryRun(members.get(0), new Document("replSetStepUp", 1));
                nextStepUp = now + STEP_UP_EVERY_NANOS;
            }
            if (now > deadline) {
                throw new IOException("replica set " + setName + " has no primary after " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static Document tryRun(PeerClient member, Document command) {
        try {
            return member.run("admin", command);
        } catch (IOException e) {
            return null; // not listening yet, or gone: asked again on the next pass
        }
    }

    private static boolean isOk(Document reply) {
        return reply.get("ok") instanceof Number ok && ok.doubleValue() == 1.0;
    }
}
