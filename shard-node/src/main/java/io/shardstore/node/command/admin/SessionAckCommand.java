package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * endSessions / killSessions / killAllSessions: the sessions named (every one, for killAllSessions) leave the node's
 * session registry ($listLocalSessions). Retryable-write records are kept: a retry of an ended session's write is
 * still answered from them.
 */
public final class SessionAckCommand implements Command {
    private final String name;

    public SessionAckCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        io.shardstore.protocol.SessionRegistry sessions = ctx.node().sessions();
        Object named = ctx.body().get(name);
        if (name.equals("killAllSessions")) {
            sessions.live().keySet().forEach(sessions::ended);
        } else if (named instanceof java.util.List<?> lsids) {
            for (Object lsid : lsids) {
                if (lsid instanceof Document d) {
                    sessions.ended(d.get("id"));
                }
            }
        }
        return new Document("ok", 1.0);
    }
}
