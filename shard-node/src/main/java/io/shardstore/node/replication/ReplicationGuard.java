package io.shardstore.node.replication;

import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * What a member that is not primary refuses (checked on the storage thread, just before the command runs, so no
 * state change slips between the check and the write): writes (NotWritablePrimary, 10107) and reads that do not
 * allow a secondary (NotPrimaryNoSecondaryOk, 13435). The local database is always open, as in mongod.
 */
public final class ReplicationGuard {
    private static final Set<String> READS = Set.of("find", "aggregate", "count", "distinct", "listCollections",
        "listIndexes", "dbStats", "collStats");

    private ReplicationGuard() {
    }

    /** @return the error reply, or null when the command may run */
    public static Document refusal(Command command, CommandContext ctx, ReplicationCoordinator replication) {
        if ("local".equals(ctx.db()) || replication.isWritablePrimary()) {
            return null;
        }
        if (isWrite(command, ctx)) {
            Document reply = Errors.reply(ErrorCode.NotWritablePrimary, "not primary");
            if (ctx.body().containsKey("txnNumber") || command.name().equals("insert") || command.name().equals("update")
                || command.name().equals("delete") || command.name().equals("findAndModify")) {
                reply.put("errorLabels", List.of("RetryableWriteError"));
            }
            return reply;
        }
        if (READS.contains(command.name()) && !secondaryOk(ctx)) {
            return Errors.reply(ErrorCode.NotPrimaryNoSecondaryOk, "not primary and secondaryOk=false");
        }
        if (READS.contains(command.name()) && replication.state() == MemberState.ROLLBACK) {
            // A member rolling back holds documents it is about to take away (and lacks some it is about to fetch):
            // mongod refuses reads then, and so does this member.
            return Errors.reply(ErrorCode.NotPrimaryOrSecondary, "node is not in primary or recovering state");
        }
        return null;
    }

    public static boolean isWrite(Command command, CommandContext ctx) {
        if (!command.writes()) {
            return false;
        }
        if (command.name().equals("aggregate")) {
            return ctx.body().get("pipeline") instanceof List<?> stages && !stages.isEmpty()
                && stages.get(stages.size() - 1) instanceof Document last && (last.containsKey("$out") || last.containsKey("$merge"));
        }
        return true;
    }

    private static boolean secondaryOk(CommandContext ctx) {
        return ctx.body().get("$readPreference") instanceof Document rp && rp.get("mode") instanceof String mode
            && !mode.equals("primary");
    }
}
