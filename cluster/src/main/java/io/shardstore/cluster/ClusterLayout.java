package io.shardstore.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Where {@code bin/cluster} puts what. The router listens on its port; each set's first member on the port it has in a
 * single-node cluster (config server 27019, shards 27018, 27020, 27021, ...); member j of a set on that port + 100·j.
 * Shards' extra members (arbiter, hidden, delayed) follow the data-bearing ones.
 */
record ClusterLayout(int routerPort, SetLayout config, List<SetLayout> shards) {
    static final int MEMBER_PORT_STEP = 100;
    static final String CONFIG_SET = "configRS";
    private static final int MAX_VOTERS = 7;

    enum Kind { DATA, ARBITER, HIDDEN, DELAYED }

    /** One process: its name (log, dbpath), port and kind of member. */
    record Member(String process, int port, Kind kind) {
        String host() {
            return "127.0.0.1:" + port;
        }
    }

    /**
     * A config server or shard: a replica set ({@code name} not null) or one standalone node.
     * @param delaySecs secondaryDelaySecs of the DELAYED member
     */
    record SetLayout(String name, List<Member> members, long delaySecs) {

        boolean replicated() {
            return name != null;
        }

        /** As addShard and --configdb take it: {@code name/h1,h2,...} (data-bearing, visible members) or {@code host:port}. */
        String hosts() {
            if (!replicated()) {
                return members.get(0).host();
            }
            return name + "/" + String.join(",", members.stream().filter(m -> m.kind() == Kind.DATA).map(Member::host).toList());
        }

        List<String> memberHosts() {
            return members.stream().map(Member::host).toList();
        }

        /** The replSetInitiate document; timings null keep the members' defaults. */
        Document replSetConfig(Long heartbeatIntervalMillis, Long electionTimeoutMillis) {
            List<Document> list = new ArrayList<>();
            for (int id = 0; id < members.size(); id++) {
                Member m = members.get(id);
                Document member = new Document("_id", id).append("host", m.host());
                switch (m.kind()) {
                    case ARBITER -> member.append("arbiterOnly", true);
                    case HIDDEN -> member.append("priority", 0).append("hidden", true);
                    case DELAYED -> member.append("priority", 0).append("hidden", true).append("secondaryDelaySecs", delaySecs);
                    case DATA -> { }
                }
                list.add(member);
            }
            Document config = new Document("_id", name).append("version", 1).append("members", list);
            Document settings = new Document();
            if (heartbeatIntervalMillis != null) {
                settings.append("heartbeatIntervalMillis", heartbeatIntervalMillis);
            }
            if (electionTimeoutMillis != null) {
                settings.append("electionTimeoutMillis", electionTimeoutMillis);
            }
            if (!settings.isEmpty()) {
                config.append("settings", settings);
            }
            return config;
        }
    }

    /**
     * @param members data-bearing members per set; 1 without extras starts standalone nodes (no --replSet)
     * @param delaySecs a delayed member in each shard set when above 0
     */
    static ClusterLayout of(int shardCount, int members, boolean arbiter, boolean hidden, long delaySecs,
                            int routerPort, int configPort, int shardPort) {
        if (shardCount < 1 || members < 1) {
            throw new IllegalArgumentException("--shards and --members must be at least 1");
        }
        boolean extras = arbiter || hidden || delaySecs > 0;
        boolean replicated = members > 1 || extras;
        int voters = members + (arbiter ? 1 : 0) + (hidden ? 1 : 0) + (delaySecs > 0 ? 1 : 0);
        if (voters > MAX_VOTERS) {
            throw new IllegalArgumentException("a replica set has at most " + MAX_VOTERS + " voting members; asked for " + voters);
        }
        SetLayout config = set(replicated ? CONFIG_SET : null, "config", configPort, dataMembers(members), 0);
        List<SetLayout> shards = new ArrayList<>();
        int p = shardPort;
        for (int i = 0; i < shardCount; i++, p++) {
            while (p == configPort || p == routerPort) {
                p++; // first members take the next free ports: 27018, 27020, 27021, ...
            }
            List<Kind> kinds = new ArrayList<>(dataMembers(members));
            if (arbiter) {
                kinds.add(Kind.ARBITER);
            }
            if (hidden) {
                kinds.add(Kind.HIDDEN);
            }
            if (delaySecs > 0) {
                kinds.add(Kind.DELAYED);
            }
            shards.add(set(replicated ? "shard" + i : null, "shard" + i, p, kinds, delaySecs));
        }
        ClusterLayout layout = new ClusterLayout(routerPort, config, shards);
        layout.checkPortsDistinct();
        return layout;
    }

    private static List<Kind> dataMembers(int n) {
        return java.util.Collections.nCopies(n, Kind.DATA);
    }

    private static SetLayout set(String name, String process, int firstPort, List<Kind> kinds, long delaySecs) {
        List<Member> members = new ArrayList<>();
        for (int j = 0; j < kinds.size(); j++) {
            members.add(new Member(name == null ? process : process + "-" + j, firstPort + MEMBER_PORT_STEP * j, kinds.get(j)));
        }
        return new SetLayout(name, members, delaySecs);
    }

    List<SetLayout> sets() {
        List<SetLayout> all = new ArrayList<>();
        all.add(config);
        all.addAll(shards);
        return all;
    }

    private void checkPortsDistinct() {
        Set<Integer> used = new HashSet<>(Set.of(routerPort));
        for (SetLayout set : sets()) {
            for (Member m : set.members()) {
                if (m.port() > 65535 || !used.add(m.port())) {
                    throw new IllegalArgumentException("port " + m.port() + " of " + m.process()
                        + " is out of range or taken by another node; choose other --port / --configPort / --shardPort");
                }
            }
        }
    }
}
