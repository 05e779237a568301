package io.shardstore.router.command.admin;

import java.util.List;
import java.util.function.BiFunction;

import org.bson.BsonDocument;

import io.shardstore.router.engine.Exec;
import io.shardstore.router.frontend.RouterRequest;

/** A small local command given as a function: ping, whatsmyuri, connectionStatus, the session acknowledgements. */
public final class StaticCommand extends LocalCommand {
    private final String name;
    private final List<String> aliases;
    private final BiFunction<RouterRequest, Exec, BsonDocument> answer;

    public StaticCommand(String name, List<String> aliases, BiFunction<RouterRequest, Exec, BsonDocument> answer) {
        this.name = name;
        this.aliases = aliases;
        this.answer = answer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> aliases() {
        return aliases;
    }

    @Override
    protected BsonDocument answer(RouterRequest request, Exec exec) {
        return answer.apply(request, exec);
    }
}
