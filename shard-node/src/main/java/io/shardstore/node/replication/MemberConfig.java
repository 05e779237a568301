package io.shardstore.node.replication;

import java.util.LinkedHashMap;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** One entry of a replica set config's {@code members}. */
public record MemberConfig(int id, String host, double priority, int votes, boolean arbiterOnly, boolean hidden,
                           long secondaryDelaySecs, Map<String, String> tags) {

    /** May stand for election: priority above 0, votes, data, visible, not delayed. */
    public boolean electable() {
        return priority > 0 && votes > 0 && !arbiterOnly && !hidden && secondaryDelaySecs == 0;
    }

    public boolean voter() {
        return votes > 0;
    }

    public boolean dataBearing() {
        return !arbiterOnly;
    }

    static MemberConfig parse(Object value) {
        if (!(value instanceof Document d)) {
            throw invalid("each member must be an object");
        }
        if (!(d.get("_id") instanceof Number id)) {
            throw invalid("a member needs a numeric _id");
        }
        if (!(d.get("host") instanceof String host) || host.isEmpty()) {
            throw invalid("member " + id + " needs a host string");
        }
        boolean arbiter = Boolean.TRUE.equals(d.get("arbiterOnly"));
        boolean hidden = Boolean.TRUE.equals(d.get("hidden"));
        double priority = d.get("priority") instanceof Number p ? p.doubleValue() : arbiter ? 0 : 1;
        int votes = d.get("votes") instanceof Number v ? v.intValue() : 1;
        Object delay = d.containsKey("secondaryDelaySecs") ? d.get("secondaryDelaySecs") : d.get("slaveDelay");
        long delaySecs = delay instanceof Number n ? n.longValue() : 0;
        Map<String, String> tags = new LinkedHashMap<>();
        if (d.get("tags") instanceof Document t) {
            t.forEach((k, v) -> {
                if (!(v instanceof String s)) {
                    throw invalid("tags of member " + id + " must be strings");
                }
                tags.put(k, s);
            });
        }
        if (votes != 0 && votes != 1) {
            throw invalid("votes of member " + id + " must be 0 or 1");
        }
        if (priority < 0 || priority > 1000) {
            throw invalid("priority of member " + id + " must be between 0 and 1000");
        }
        if (arbiter && priority != 0) {
            throw invalid("arbiter " + host + " must have priority 0");
        }
        if ((hidden || delaySecs > 0) && priority != 0) {
            throw invalid("priority must be 0 when hidden or secondaryDelaySecs is set (member " + host + ")");
        }
        if (priority > 0 && votes == 0) {
            throw invalid("priority must be 0 when non-voting (votes:0) (member " + host + ")");
        }
        if (delaySecs < 0) {
            throw invalid("secondaryDelaySecs of member " + id + " must not be negative");
        }
        return new MemberConfig(id.intValue(), host, priority, votes, arbiter, hidden, delaySecs, Map.copyOf(tags));
    }

    Document toDocument() {
        Document tagsDoc = new Document();
        tags.forEach(tagsDoc::append);
        return new Document("_id", id).append("host", host).append("arbiterOnly", arbiterOnly).append("buildIndexes", true)
            .append("hidden", hidden).append("priority", priority).append("tags", tagsDoc)
            .append("secondaryDelaySecs", secondaryDelaySecs).append("votes", votes);
    }

    static MongoServerError invalid(String message) {
        return Errors.of(ErrorCode.InvalidReplicaSetConfig, message);
    }
}
