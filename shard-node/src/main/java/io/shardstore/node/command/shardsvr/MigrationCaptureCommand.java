package io.shardstore.node.command.shardsvr;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * {@code _shardsvrMigrationCapture: "db.coll", action: "start" | "drain" | "stop"}: the source side of a chunk
 * migration. After "start" every change to the collection is remembered; "drain" returns the current
 * state of each changed document ({@code {_id, doc}} or {@code {_id, deleted: true}}) so the destination
 * can catch up with writes made while the chunk was being copied (ConflictingOperationInProgress when no capture runs:
 * the member became primary after "start").
 */
public final class MigrationCaptureCommand implements Command {

    @Override
    public String name() {
        return "_shardsvrMigrationCapture";
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!(ctx.body().get(name()) instanceof String ns) || !ns.contains(".")) {
            throw Errors.of(ErrorCode.InvalidNamespace, name() + " needs a full namespace");
        }
        Object action = ctx.body().get("action");
        var storage = ctx.node().storage();
        if ("start".equals(action)) {
            storage.startCapture(ns);
            return new Document("ok", 1.0);
        }
        if ("stop".equals(action)) {
            storage.stopCapture(ns);
            return new Document("ok", 1.0);
        }
        if ("drain".equals(action)) {
            java.util.Set<Object> touched = storage.drainCapture(ns);
            if (touched == null) {
                // A new primary since "start": the writes made on the old one while it copied are unknown here, so the
                // copy cannot be completed from this member; the migration (or resharding) must abort, not lose them.
                throw Errors.of(ErrorCode.ConflictingOperationInProgress, "no change capture runs for " + ns
                    + " on this member (it became primary after the capture started): start the operation again");
            }
            List<Document> changes = new ArrayList<>();
            for (Object id : touched) {
                Document now = storage.findById(ns, id);
                changes.add(now != null ? new Document("_id", id).append("doc", now)
                    : new Document("_id", id).append("deleted", true));
            }
            return new Document("changes", changes).append("ok", 1.0);
        }
        throw Errors.of(ErrorCode.BadValue, "action must be start, drain or stop");
    }
}
