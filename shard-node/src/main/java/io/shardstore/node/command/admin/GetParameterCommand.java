package io.shardstore.node.command.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/** getParameter: the server parameters clients ask for (featureCompatibilityVersion first of all). */
public final class GetParameterCommand implements Command {
    private static final Map<String, Object> PARAMETERS = new LinkedHashMap<>();

    static {
        PARAMETERS.put("featureCompatibilityVersion", new Document("version", "7.0"));
        PARAMETERS.put("authenticationMechanisms", java.util.List.of());
        PARAMETERS.put("maxBSONDepth", 200);
        PARAMETERS.put("logLevel", 0);
        PARAMETERS.put("quiet", false);
        PARAMETERS.put("transactionLifetimeLimitSeconds", 60);
        PARAMETERS.put("cursorTimeoutMillis", 600_000L);
    }

    @Override
    public String name() {
        return "getParameter";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        Object arg = ctx.body().get("getParameter");
        boolean all = "*".equals(arg) || (arg instanceof Document d && Boolean.TRUE.equals(d.get("allParameters")));
        Document reply = new Document();
        for (Map.Entry<String, Object> p : PARAMETERS.entrySet()) {
            if (all || ctx.body().containsKey(p.getKey())) {
                reply.put(p.getKey(), p.getValue());
            }
        }
        if (all || ctx.body().containsKey("enableTestCommands")) {
            reply.put("enableTestCommands", ctx.node().options().testCommands());
        }
        if (reply.isEmpty()) {
            throw Errors.of(ErrorCode.InvalidOptions, "no option found to get");
        }
        reply.put("ok", 1.0);
        return reply;
    }
}
