package io.shardstore.node.replication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.bson.Document;

/** Sends replSetHeartbeat to every other member every heartbeatIntervalMillis, each on its own schedule. */
final class Heartbeats {
    private final ReplicationCoordinator coordinator;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final List<PeerClient> clients = new ArrayList<>();

    Heartbeats(ReplicationCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    synchronized void restart(ReplSetConfig cfg) {
        stop();
        int timeout = (int) Math.max(500, Math.min(cfg.electionTimeoutMillis(), 10_000));
        for (MemberConfig m : coordinator.otherMembers()) {
            PeerClient client = coordinator.peer(m.host(), timeout);
            clients.add(client);
            tasks.add(coordinator.timers.scheduleWithFixedDelay(() -> beat(m, client), 0, cfg.heartbeatIntervalMillis(),
                TimeUnit.MILLISECONDS));
        }
    }

    private void beat(MemberConfig member, PeerClient client) {
        Document request;
        try {
            request = coordinator.heartbeatRequest();
        } catch (RuntimeException e) {
            return;
        }
        long start = System.nanoTime();
        try {
            Document reply = client.run("admin", request);
            coordinator.onHeartbeatReply(member.id(), reply, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            coordinator.onHeartbeatFailure(member.id(), String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            coordinator.onHeartbeatFailure(member.id(), e.toString());
        }
    }

    synchronized void stop() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
        clients.forEach(PeerClient::close);
        clients.clear();
    }
}
