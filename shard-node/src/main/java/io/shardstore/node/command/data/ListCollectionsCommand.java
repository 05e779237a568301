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

    @SuppressWarnings("unchecked")
    @Override
    public Document run(CommandContext ctx) {
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), ctx.name(), ctx.body());
        Document filter = ctx.body().get("filter") instanceof Document f ? f : null;
        boolean nameOnly = Boolean.TRUE.equals(ctx.body().get("nameOnly"));
        Document cursor = (Document) reply.get("cursor");
        List<Document> out = new ArrayList<>();
        for (Document info : (List<Document>) cursor.get("firstBatch")) {
            if (filter == null || new DefaultQueryMatcher().matches(info, filter)) {
                out.add(nameOnly ? new Document("name", info.get("name")).append("type", info.get("type")) : info);
            }
        }
        cursor.put("firstBatch", out);
        return reply;
    }
}
