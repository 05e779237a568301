package io.shardstore.node.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;

/** replSetGetStatus (rs.status()): this member's view of every member. */
public final class StatusReport {

    private StatusReport() {
    }

    public static Document of(ReplicationCoordinator repl) {
        ReplSetConfig cfg = repl.config();
        int selfId = repl.selfId();
        MemberState myState = repl.state();
        Map<Integer, PeerState> peers = repl.peersSnapshot();
        Instant now = Instant.now();
        OpTime last = repl.lastApplied();
        List<Document> members = new ArrayList<>();
        for (MemberConfig m : cfg.members()) {
            Document d = new Document("_id", m.id()).append("name", m.host());
            if (m.id() == selfId) {
                d.append("health", 1.0).append("state", myState.code()).append("stateStr", myState.name())
                    .append("uptime", Duration.between(repl.started(), now).toSeconds())
                    .append("optime", last.toDocument()).append("optimeDate", repl.oplog().lastWall())
                    .append("lastAppliedWallTime", repl.oplog().lastWall())
                    .append("syncSourceHost", repl.syncSource()).append("syncSourceId", repl.syncSourceId())
                    .append("infoMessage", repl.infoMessage()).append("configVersion", cfg.version()).append("configTerm", cfg.term())
                    .append("self", true).append("lastHeartbeatMessage", "");
                if (myState == MemberState.PRIMARY && repl.electionTime() != null) {
                    d.append("electionTime", new de.bwaldvogel.mongo.bson.BsonTimestamp(repl.electionTime(), 1))
                        .append("electionDate", repl.electionTime());
                }
            } else {
                PeerState p = peers.getOrDefault(m.id(), new PeerState());
                MemberState state = p.lastHeartbeat == null ? MemberState.UNKNOWN : p.state;
                d.append("health", p.healthy ? 1.0 : 0.0).append("state", state.code())
                    .append("stateStr", state == MemberState.UNKNOWN ? "(not reachable/healthy)" : state.name())
                    .append("uptime", p.upSince == null ? 0L : Duration.between(p.upSince, now).toSeconds())
                    .append("optime", p.applied.toDocument()).append("optimeDurable", p.applied.toDocument())
                    .append("optimeDate", p.appliedWall).append("optimeDurableDate", p.appliedWall)
                    .append("lastHeartbeat", p.lastHeartbeat == null ? Instant.EPOCH : p.lastHeartbeat)
                    .append("lastHeartbeatRecv", p.lastHeartbeatRecv == null ? Instant.EPOCH : p.lastHeartbeatRecv)
                    .append("pingMs", p.pingMillis).append("lastHeartbeatMessage", p.lastError)
                    .append("syncSourceHost", p.syncSource).append("infoMessage", "").append("configVersion", cfg.version())
                    .append("configTerm", cfg.term());
            }
            members.add(d);
        }
        return new Document("set", cfg.name()).append("date", now).append("myState", myState.code()).append("term", repl.term())
            .append("syncSourceHost", repl.syncSource()).append("syncSourceId", repl.syncSourceId())
            .append("heartbeatIntervalMillis", cfg.heartbeatIntervalMillis())
            .append("majorityVoteCount", cfg.majority()).append("writeMajorityCount", cfg.writeMajority())
            .append("votingMembersCount", cfg.votingCount())
            .append("optimes", new Document("lastCommittedOpTime", repl.writeConcern().majorityCommitted().toDocument()).append("appliedOpTime", last.toDocument())
                .append("durableOpTime", last.toDocument()).append("lastAppliedWallTime", repl.oplog().lastWall()))
            .append("members", members).append("ok", 1.0);
    }
}
