package io.shardstore.node.command.repl;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.replication.RWConcernDefaults;
import io.shardstore.node.replication.ReplicationCoordinator;

/** getDefaultRWConcern: the defaults setDefaultRWConcern stored, or the implicit ones, with where each comes from. */
public final class GetDefaultRWConcernCommand implements Command {

    @Override
    public String name() {
        return "getDefaultRWConcern";
    }

    @Override
    public Document run(CommandContext ctx) {
        ReplicationCoordinator repl = Replication.initiated(ctx);
        Document stored = RWConcernDefaults.load(ctx.node().storage());
        return describe(stored, repl).append("localUpdateWallClockTime", java.time.Instant.now()).append("ok", 1.0);
    }

    static Document describe(Document stored, ReplicationCoordinator repl) {
        Document reply = new Document();
        boolean customWrite = stored != null && stored.get("defaultWriteConcern") instanceof Document;
        boolean customRead = stored != null && stored.get("defaultReadConcern") instanceof Document;
        reply.put("defaultReadConcern", customRead ? stored.get("defaultReadConcern") : new Document("level", "local"));
        reply.put("defaultWriteConcern", customWrite ? stored.get("defaultWriteConcern")
            : new Document("w", repl.implicitDefaultWriteConcernW()).append("wtimeout", 0));
        if (stored != null) {
            reply.put("updateOpTime", stored.get("updateOpTime"));
            reply.put("updateWallClockTime", stored.get("updateWallClockTime"));
        }
        reply.put("defaultWriteConcernSource", customWrite ? "global" : "implicit");
        reply.put("defaultReadConcernSource", customRead ? "global" : "implicit");
        return reply;
    }
}
