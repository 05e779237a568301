package io.shardstore.node.command.data;

import java.util.Set;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.storage.JournalRecords;

/**
 * A command that changes the catalog (create, createIndexes, dropIndexes, renameCollection, dropDatabase).
 * The engine runs it; on success the command itself is journaled, since running it again gives the same catalog.
 */
public final class CatalogCommand implements Command {
    /** Fields about the request rather than the catalog change; they do not belong in the journal. */
    private static final Set<String> REQUEST_FIELDS = Set.of("$db", "lsid", "$clusterTime", "txnNumber", "writeConcern",
        "$readPreference", "apiVersion", "apiStrict", "apiDeprecationErrors", "comment", "maxTimeMS", "commitQuorum");

    private final String name;

    public CatalogCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of(name);
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        return apply(ctx, ctx.db(), ctx.name(), ctx.body());
    }

    /**
     * Runs the catalog command {@code name} ({@code body}) in the engine on {@code db} and, when it succeeds, journals it
     * without the request's own fields (the oplog takes it from there). Storage thread only.
     */
    public static Document apply(CommandContext ctx, String db, String name, Document body) {
        Document reply = ctx.node().storage().run(ctx.channel(), db, name, body);
        Object ok = reply.get("ok");
        if (ok instanceof Number n && n.doubleValue() == 1.0) {
            Document change = new Document();
            body.forEach((k, v) -> {
                if (!REQUEST_FIELDS.contains(k)) {
                    change.put(k, v);
                }
            });
            ctx.node().storage().record(JournalRecords.command(db, change));
        }
        return reply;
    }
}
