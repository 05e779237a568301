package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/** The replica-set part of hello / isMaster, as a mongod member answers it; drivers discover the set from it. */
public final class HelloFields {

    private HelloFields() {
    }

    /** Adds the role fields ({@code primaryField} is "isWritablePrimary" or "ismaster"). */
    public static void add(Document reply, String primaryField, ReplicationCoordinator repl) {
        ReplSetConfig cfg = repl.config();
        MemberConfig self = repl.self();
        if (cfg == null || self == null) {
            reply.put(primaryField, false);
            reply.put("secondary", false);
            reply.put("info", "Does not have a valid replica set config");
            reply.put("isreplicaset", true);
            return;
        }
        List<String> hosts = new ArrayList<>();
        List<String> passives = new ArrayList<>();
        List<String> arbiters = new ArrayList<>();
        for (MemberConfig m : cfg.members()) {
            if (m.hidden()) {
                continue;
            }
            if (m.arbiterOnly()) {
                arbiters.add(m.host());
            } else if (m.priority() > 0) {
                hosts.add(m.host());
            } else {
                passives.add(m.host());
            }
        }
        MemberState state = repl.state();
        reply.put("hosts", hosts);
        if (!passives.isEmpty()) {
            reply.put("passives", passives);
        }
        if (!arbiters.isEmpty()) {
            reply.put("arbiters", arbiters);
        }
        reply.put("setName", cfg.name());
        reply.put("setVersion", cfg.version());
        reply.put(primaryField, state == MemberState.PRIMARY);
        reply.put("secondary", state == MemberState.SECONDARY);
        String primary = repl.primaryHost();
        if (primary != null) {
            reply.put("primary", primary);
        }
        if (self.arbiterOnly()) {
            reply.put("arbiterOnly", true);
        }
        if (self.priority() == 0 && !self.arbiterOnly()) {
            reply.put("passive", true);
        }
        if (self.hidden()) {
            reply.put("hidden", true);
        }
        if (self.secondaryDelaySecs() > 0) {
            reply.put("secondaryDelaySecs", self.secondaryDelaySecs());
        }
        if (!self.tags().isEmpty()) {
            Document tags = new Document();
            self.tags().forEach(tags::append);
            reply.put("tags", tags);
        }
        reply.put("me", self.host());
        if (state == MemberState.PRIMARY && repl.electionId() != null) {
            reply.put("electionId", repl.electionId());
        }
        OpTime last = repl.lastApplied();
        java.time.Instant wall = repl.oplog().lastWall();
        OpTime majority = repl.writeConcern().majorityCommitted();
        reply.put("lastWrite", new Document("opTime", last.toDocument()).append("lastWriteDate", wall)
            .append("majorityOpTime", majority.toDocument()).append("majorityWriteDate", majority.wall()));
    }
}
