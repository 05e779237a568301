package io.shardstore.node.command.admin;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.MapReduce;

/** mapReduce: known, refused with NotImplemented (238) before anything runs ({@link MapReduce} says why). */
public final class MapReduceCommand implements Command {

    @Override
    public String name() {
        return MapReduce.COMMAND;
    }

    @Override
    public boolean inline() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        throw Errors.of(ErrorCode.NotImplemented, MapReduce.REFUSED);
    }
}
