package io.shardstore.node.replication;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;

/** A replica set config as replSetInitiate takes it and local.replset.config keeps it. */
public record ReplSetConfig(String name, int version, long term, List<MemberConfig> members, long heartbeatIntervalMillis,
                            long electionTimeoutMillis, Document getLastErrorModes, long catchUpTimeoutMillis) {
    public static final long DEFAULT_HEARTBEAT_MILLIS = 2_000;
    public static final long DEFAULT_ELECTION_TIMEOUT_MILLIS = 10_000;

    public static ReplSetConfig parse(Document d) {
        if (!(d.get("_id") instanceof String name) || name.isEmpty()) {
            throw MemberConfig.invalid("a replica set config needs an _id string (the set name)");
        }
        int version = d.get("version") instanceof Number v ? v.intValue() : 1;
        long term = d.get("term") instanceof Number t ? t.longValue() : 0;
        if (!(d.get("members") instanceof List<?> raw) || raw.isEmpty()) {
            throw MemberConfig.invalid("a replica set config needs a non-empty members array");
        }
        List<MemberConfig> members = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (Object m : raw) {
            MemberConfig member = MemberConfig.parse(m);
            if (!ids.add(member.id())) {
                throw MemberConfig.invalid("two members have _id " + member.id());
            }
            if (!hosts.add(member.host())) {
                throw MemberConfig.invalid("two members have host " + member.host());
            }
            members.add(member);
        }
        if (members.size() > 50) {
            throw MemberConfig.invalid("a replica set has at most 50 members");
        }
        long voters = members.stream().filter(MemberConfig::voter).count();
        if (voters > 7) {
            throw MemberConfig.invalid("a replica set has at most 7 voting members");
        }
        if (voters == 0) {
            throw MemberConfig.invalid("a replica set needs at least one voting member");
        }
        Document settings = d.get("settings") instanceof Document s ? s : new Document();
        long heartbeat = settings.get("heartbeatIntervalMillis") instanceof Number n ? n.longValue() : DEFAULT_HEARTBEAT_MILLIS;
        long election = settings.get("electionTimeoutMillis") instanceof Number n ? n.longValue() : DEFAULT_ELECTION_TIMEOUT_MILLIS;
        if (heartbeat <= 0 || election <= 0) {
            throw MemberConfig.invalid("heartbeatIntervalMillis and electionTimeoutMillis must be positive");
        }
        Document modes = settings.get("getLastErrorModes") instanceof Document m ? m : new Document();
        for (String mode : modes.keySet()) {
            if (!(modes.get(mode) instanceof Document rule)) {
                throw MemberConfig.invalid("getLastErrorModes." + mode + " must be an object of tag counts");
            }
            for (String tag : rule.keySet()) {
                if (!(rule.get(tag) instanceof Number count) || count.intValue() <= 0) {
                    throw MemberConfig.invalid("getLastErrorModes." + mode + "." + tag + " must be a positive number");
                }
                if (members.stream().noneMatch(m -> m.tags().containsKey(tag))) {
                    throw MemberConfig.invalid("no member has the tag '" + tag + "' that mode '" + mode + "' uses");
                }
            }
        }
        long catchUp = settings.get("catchUpTimeoutMillis") instanceof Number n ? n.longValue() : -1; // mongod: -1, no limit
        if (catchUp < -1) {
            throw MemberConfig.invalid("catchUpTimeoutMillis must be -1 (no limit), 0 (no catch-up) or positive");
        }
        return new ReplSetConfig(name, version, term, List.copyOf(members), heartbeat, election, modes, catchUp);
    }

    public Document toDocument() {
        List<Document> list = members.stream().map(MemberConfig::toDocument).toList();
        Document settings = new Document("chainingAllowed", true).append("heartbeatIntervalMillis", heartbeatIntervalMillis)
            .append("heartbeatTimeoutSecs", 10).append("electionTimeoutMillis", electionTimeoutMillis)
            .append("catchUpTimeoutMillis", catchUpTimeoutMillis).append("catchUpTakeoverDelayMillis", 30_000)
            .append("getLastErrorModes", getLastErrorModes)
            .append("getLastErrorDefaults", new Document("w", 1).append("wtimeout", 0));
        return new Document("_id", name).append("version", version).append("term", term).append("protocolVersion", 1L)
            .append("writeConcernMajorityJournalDefault", true).append("members", new ArrayList<>(list)).append("settings", settings);
    }

    public ReplSetConfig withTerm(long newTerm) {
        return new ReplSetConfig(name, version, newTerm, members, heartbeatIntervalMillis, electionTimeoutMillis, getLastErrorModes,
            catchUpTimeoutMillis);
    }

    public MemberConfig member(int id) {
        for (MemberConfig m : members) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    public int indexOf(int id) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    public int votingCount() {
        return (int) members.stream().filter(MemberConfig::voter).count();
    }

    /** Votes needed to win an election (and to stay primary). */
    public int majority() {
        return votingCount() / 2 + 1;
    }

    /** Members that must have a write for w: "majority": a majority, but no more than the voting data-bearing members. */
    public int writeMajority() {
        int votingData = (int) members.stream().filter(m -> m.voter() && m.dataBearing()).count();
        return Math.min(majority(), votingData);
    }
}
