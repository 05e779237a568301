package io.shardstore.node.command;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.protocol.CommandSyntax;

/**
 * Checks a request against its command's declared syntax ({@link CommandSyntax}, shared with the router) before the
 * handler runs: unknown fields 40415, fields MongoDB has and this server does not do 238, collations other than the
 * simple one 238; the statements of a write batch alike.
 */
public final class CommandOptions {

    private CommandOptions() {
    }

    /** Throws the error mongod would answer for the first field of {@code body} the command does not take. */
    public static void check(CommandSyntax.Syntax syntax, Document body) {
        for (Map.Entry<String, Object> field : body.entrySet()) {
            throwIf(CommandSyntax.checkTopLevel(syntax, field.getKey(), field.getValue()));
            CommandSyntax.Statement statement = syntax.statements().get(field.getKey());
            if (statement != null && field.getValue() instanceof List<?> list) {
                String path = syntax.command() + "." + field.getKey();
                for (Object element : list) {
                    if (element instanceof Document d) {
                        for (Map.Entry<String, Object> inner : d.entrySet()) {
                            throwIf(CommandSyntax.checkField(path, inner.getKey(), inner.getValue(), statement.accepted(), statement.unsupported()));
                        }
                    }
                }
            }
        }
    }

    private static void throwIf(CommandSyntax.Refusal refusal) {
        if (refusal != null) {
            throw new MongoServerError(refusal.code(), refusal.codeName(), refusal.message());
        }
    }
}
