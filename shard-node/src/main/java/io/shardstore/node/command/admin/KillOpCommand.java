package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * killOp ({@code db.killOp(opid)}), as mongod: on the admin database, {@code op} an opid from {@code $currentOp}. The
 * operation is marked killed; a read stops at its next yield point with Interrupted (11601). The reply is the same
 * whether the op was found or had already finished, as mongod's ("attempting to kill op").
 */
public final class KillOpCommand implements Command {

    @Override
    public String name() {
        return "killOp";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!"admin".equals(ctx.db())) {
            throw Errors.of(ErrorCode.Unauthorized, "killOp may only be run against the admin database.");
        }
        if (!ctx.body().containsKey("op")) {
            throw Errors.location(50759, "Did not provide \"op\" field");
        }
        Object op = ctx.body().get("op");
        if (!(op instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
            || n.longValue() < Integer.MIN_VALUE || n.longValue() > Integer.MAX_VALUE) {
            throw Errors.of(ErrorCode.TypeMismatch, "\"op\" must be a whole number that fits in an int: " + op);
        }
        ctx.node().operations().kill(n.intValue());
        return new Document("info", "attempting to kill op").append("ok", 1.0);
    }
}
