package io.shardstore.router.command.admin;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import io.shardstore.protocol.WireLimits;
import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** buildInfo: the MongoDB version the router speaks. */
public final class BuildInfo extends LocalCommand {
    public static final String VERSION = "7.0.14";

    @Override
    public String name() {
        return "buildInfo";
    }

    @Override
    public List<String> aliases() {
        return List.of("buildinfo");
    }

    @Override
    protected BsonDocument answer(RouterRequest request, Exec exec) {
        return new BsonDocument("version", new BsonString(VERSION))
            .append("gitVersion", new BsonString("shardstore"))
            .append("versionArray", new BsonArray(List.of(new BsonInt32(7), new BsonInt32(0), new BsonInt32(14), new BsonInt32(0))))
            .append("modules", new BsonArray())
            .append("bits", new BsonInt32(64))
            .append("debug", BsonBoolean.FALSE)
            .append("maxBsonObjectSize", new BsonInt32(WireLimits.MAX_BSON_OBJECT_SIZE))
            .append("ok", new BsonDouble(1.0));
    }
}
