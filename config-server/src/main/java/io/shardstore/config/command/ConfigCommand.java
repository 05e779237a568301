package io.shardstore.config.command;

import org.bson.BsonDocument;

import com.mongodb.MongoCommandException;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.config.ConfigContext;
import io.shardstore.config.catalog.Bridge;
import io.shardstore.config.catalog.ConfigCatalog;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * Base of the config server's commands: they wait on other servers, so they run off the event loop and
 * the storage thread, one at a time; they work in the driver's BSON types. On a config replica set only the
 * primary runs them (others answer NotWritablePrimary, 10107).
 */
public abstract class ConfigCommand implements Command {
    protected final ConfigContext config;

    protected ConfigCommand(ConfigContext config) {
        this.config = config;
    }

    @Override
    public final boolean blocking() {
        return true;
    }

    @Override
    public final Document run(CommandContext ctx) {
        BsonDocument body = Bridge.toBson(ctx.body());
        // The catalog is asked for under the DDL lock: a member that stepped down while the command waited refuses it.
        java.util.function.Supplier<BsonDocument> command = () -> execute(body, config.catalog());
        try {
            BsonDocument reply = exclusive() ? config.exclusive(command) : command.get();
            return Bridge.fromBson(reply);
        } catch (MongoCommandException e) {
            // A shard refused: pass its error on with its code.
            throw new MongoServerError(e.getErrorCode(), e.getErrorCodeName(), e.getErrorMessage());
        } catch (IllegalArgumentException e) {
            throw Errors.of(ErrorCode.BadValue, e.getMessage());
        }
    }

    /** Whether the command changes the catalog (and so takes the DDL lock). */
    protected boolean exclusive() {
        return true;
    }

    protected abstract BsonDocument execute(BsonDocument body, ConfigCatalog catalog);

    protected static String nsArgument(BsonDocument body, String name) {
        if (!body.containsKey(name) || !body.get(name).isString() || !body.getString(name).getValue().contains(".")) {
            throw Errors.of(ErrorCode.InvalidNamespace, "'" + name + "' must be a full namespace 'db.collection'");
        }
        String ns = body.getString(name).getValue();
        if (ns.startsWith(".") || ns.endsWith(".")) {
            throw Errors.of(ErrorCode.InvalidNamespace, "invalid namespace: " + ns);
        }
        return ns;
    }

    protected static BsonDocument ok() {
        return new BsonDocument("ok", new org.bson.BsonDouble(1.0));
    }
}
