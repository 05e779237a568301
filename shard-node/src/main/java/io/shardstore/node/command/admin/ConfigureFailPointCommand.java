package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * configureFailPoint, a test command: registered only with {@code --setParameter enableTestCommands=1} (without it,
 * CommandNotFound, as mongod). The one fail point here is {@code failCommand}, the one the drivers' test suites use.
 */
public final class ConfigureFailPointCommand implements Command {

    @Override
    public String name() {
        return "configureFailPoint";
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        if (!"admin".equals(ctx.db())) {
            throw Errors.of(ErrorCode.Unauthorized, "configureFailPoint may only be run against the admin database.");
        }
        Object name = ctx.body().get("configureFailPoint");
        if (!"failCommand".equals(name)) {
            throw Errors.of(ErrorCode.BadValue, "Cannot find fail point " + name + " (the one fail point here is failCommand)");
        }
        return ctx.node().failCommand().configure(ctx.body());
    }
}
