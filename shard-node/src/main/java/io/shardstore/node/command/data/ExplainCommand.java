package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.storage.QueryExplain;
import io.shardstore.protocol.ErrorCode;

/**
 * explain of find, count and distinct: the plan the node runs (see {@link QueryExplain}) and, for the
 * executionStats and allPlansExecution verbosities, the figures of running it. Other commands: 72
 * (InvalidOptions), as mongod refuses explain of a command without an explain form.
 */
public final class ExplainCommand implements Command {

    @Override
    public boolean concurrentRead(CommandContext ctx) {
        return Command.outsideLocal(ctx);
    }

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!(ctx.body().get("explain") instanceof Document inner) || inner.isEmpty()) {
            throw Errors.typeMismatch("BSON field 'explain.explain' is the wrong type '" + Errors.typeName(ctx.body().get("explain"))
                + "', expected type 'object'");
        }
        Object verbosity = ctx.body().getOrDefault("verbosity", "allPlansExecution");
        if (!(verbosity instanceof String v) || !(v.equals("queryPlanner") || v.equals("executionStats") || v.equals("allPlansExecution"))) {
            throw Errors.of(ErrorCode.BadValue, "Enumeration value '" + verbosity + "' for field 'explain.verbosity' is not a valid value.");
        }
        String command = inner.keySet().iterator().next();
        if (!command.equals("find") && !command.equals("count") && !command.equals("distinct")) {
            throw Errors.of(ErrorCode.InvalidOptions, "Explain is not supported here for the '" + command + "' command");
        }
        if (!(inner.get(command) instanceof String collection) || collection.isEmpty()) {
            throw Errors.of(ErrorCode.InvalidNamespace, "Invalid namespace specified '" + ctx.db() + "." + inner.get(command) + "'");
        }
        for (String field : new String[] {"filter", "query", "sort", "projection"}) {
            if (inner.get(field) != null && !(inner.get(field) instanceof Document)) {
                throw Errors.typeMismatch("BSON field '" + command + "." + field + "' is the wrong type '"
                    + Errors.typeName(inner.get(field)) + "', expected type 'object'");
            }
        }
        MongoDatabase database = ctx.node().storage().backend().resolveDatabase(ctx.db());
        String top = switch (command) {
            case "count" -> "COUNT";
            case "distinct" -> "DISTINCT";
            default -> null;
        };
        Document reply = QueryExplain.of(ctx.db() + "." + collection, command, inner).explain(database, collection, v, top);
        reply.append("command", inner).append("serverInfo", new Document("host", ctx.node().options().bindIp()).append("port", ctx.node().options().port()).append("version",
            io.shardstore.node.command.admin.BuildInfoCommand.VERSION));
        return reply;
    }
}
