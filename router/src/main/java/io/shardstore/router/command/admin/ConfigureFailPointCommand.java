package io.shardstore.router.command.admin;

import java.util.concurrent.CompletableFuture;

import org.bson.BsonDocument;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterCommand;
import io.shardstore.router.command.RouterError;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.engine.MergeEngine;
import io.shardstore.router.frontend.RouterRequest;

/**
 * configureFailPoint on the router, as on mongos: a test command, registered only with
 * {@code --setParameter enableTestCommands=1}. The one fail point is {@code failCommand}; it acts on the commands
 * clients send the router (RouterDispatcher), not on what the router sends the shards.
 */
public final class ConfigureFailPointCommand implements RouterCommand {

    @Override
    public String name() {
        return "configureFailPoint";
    }

    @Override
    public CompletableFuture<BsonDocument> run(RouterRequest request, Exec exec) {
        if (!"admin".equals(request.db())) {
            throw new RouterError(ErrorCode.Unauthorized, "configureFailPoint may only be run against the admin database.");
        }
        BsonDocument body = request.command();
        if (!body.isString("configureFailPoint") || !body.getString("configureFailPoint").getValue().equals("failCommand")) {
            throw new RouterError(ErrorCode.BadValue, "Cannot find fail point " + body.get("configureFailPoint")
                + " (the one fail point here is failCommand)");
        }
        try {
            return CompletableFuture.completedFuture(MergeEngine.fromEngine(exec.router().failCommand().configure(MergeEngine.toEngine(body))));
        } catch (de.bwaldvogel.mongo.exception.MongoServerError e) {
            throw new RouterError(e.getCode(), e.getCodeName(), e.getMessageWithoutErrorCode());
        }
    }
}
