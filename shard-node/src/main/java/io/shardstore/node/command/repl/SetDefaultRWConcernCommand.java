package io.shardstore.node.command.repl;

import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.RWConcernDefaults;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.protocol.ErrorCode;

/**
 * setDefaultRWConcern: the set's default write concern (used when a write names no {@code w}) and read concern,
 * kept in config.settings like mongod does, so the defaults replicate and survive a failover. A write on the
 * primary: a secondary refuses it (10107) like any write.
 */
public final class SetDefaultRWConcernCommand implements Command {

    @Override
    public String name() {
        return "setDefaultRWConcern";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.initiated(ctx);
        if (!"admin".equals(ctx.db())) {
            throw Errors.of(ErrorCode.Unauthorized, "setDefaultRWConcern may only be run against the admin database.");
        }
        Object wc = ctx.body().get("defaultWriteConcern");
        Object rc = ctx.body().get("defaultReadConcern");
        if (wc == null && rc == null) {
            throw Errors.of(ErrorCode.BadValue, "At least one of the \"defaultReadConcern\" or \"defaultWriteConcern\" fields must be present");
        }
        if (wc != null && !(wc instanceof Document)) {
            throw Errors.of(ErrorCode.TypeMismatch, "defaultWriteConcern must be an object");
        }
        if (rc != null && !(rc instanceof Document)) {
            throw Errors.of(ErrorCode.TypeMismatch, "defaultReadConcern must be an object");
        }
        if (wc instanceof Document w) {
            Object value = w.get("w");
            if (value == null || (value instanceof Number n && n.intValue() < 1)) {
                throw Errors.of(ErrorCode.BadValue, "Default write concern must have 'w' field with value 1 or greater");
            }
            if (!(value instanceof Number) && !(value instanceof String)) {
                throw Errors.of(ErrorCode.FailedToParse, "w has to be a number or a string");
            }
        }
        if (rc instanceof Document r && r.get("level") instanceof String level && !List.of("local", "available", "majority").contains(level)) {
            throw Errors.of(ErrorCode.BadValue, "level: '" + level + "' is not permitted for a default read concern");
        }
        Document stored = RWConcernDefaults.load(ctx.node().storage());
        Document next = stored == null ? new Document("_id", RWConcernDefaults.ID) : new Document(stored);
        if (wc != null) {
            next.put("defaultWriteConcern", wc);
        }
        if (rc != null) {
            next.put("defaultReadConcern", rc);
        }
        next.put("updateOpTime", new de.bwaldvogel.mongo.bson.BsonTimestamp(repl.lastApplied().ts()));
        next.put("updateWallClockTime", Instant.now());
        Document reply = ctx.node().storage().runAsSystem("config", "update", new Document("update", "settings")
            .append("updates", List.of(new Document("q", new Document("_id", RWConcernDefaults.ID)).append("u", next).append("upsert", true))));
        if (reply.get("writeErrors") != null) {
            throw Errors.of(ErrorCode.OperationFailed, "could not store the defaults: " + reply.get("writeErrors"));
        }
        return GetDefaultRWConcernCommand.describe(next, repl).append("ok", 1.0);
    }
}
