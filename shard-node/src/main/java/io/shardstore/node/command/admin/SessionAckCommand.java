package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * endSessions / killSessions / killAllSessions. The node keeps no server-side session state yet
 * (retryable writes arrive with replication), so there is nothing to end and the answer is ok.
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
        return new Document("ok", 1.0);
    }
}
