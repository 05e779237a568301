package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/**
 * listCollections. The engine lists every collection and ignores {@code filter} and {@code nameOnly};
 * drivers rely on both (a filter by name is how they test whether a collection exists), so they are applied here.
 */
public final class ListCollectionsCommand implements Command {

    @Override
    public String name() {
        return "listCollections";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("listCollections");
    }

    @SuppressWarnings("unchecked")
    @Override
    public Document run(CommandContext ctx) {
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        Document filter = ctx.body().get("filter") instanceof Document f ? f : null;
        boolean nameOnly = Boolean.TRUE.equals(ctx.body().get("nameOnly"));
        Document cursor = (Document) reply.get("cursor");
        List<Document> out = new ArrayList<>();
        List<Document> all = new ArrayList<>((List<Document>) cursor.get("firstBatch"));
        all.addAll(ctx.node().storage().views().list(ctx.db()));
        io.shardstore.node.replication.ReplicationCoordinator replication = ctx.node().replication();
        if (replication != null && "local".equals(ctx.db())) {
            // The oplog is kept apart from the engine's collections, but a member lists it, as mongod does (mongosh's
            // db.getReplicationInfo() looks for it there before it reads its stats and first and last entries).
            all.add(new Document("name", "oplog.rs").append("type", "collection")
                .append("options", new Document("capped", true).append("size", replication.oplog().maxBytes()))
                .append("info", new Document("readOnly", false)));
        }
        for (Document info : all) {
            if (filter == null || new DefaultQueryMatcher().matches(info, filter)) {
                out.add(nameOnly ? new Document("name", info.get("name")).append("type", info.get("type")) : info);
            }
        }
        cursor.put("firstBatch", out);
        return reply;
    }
}
