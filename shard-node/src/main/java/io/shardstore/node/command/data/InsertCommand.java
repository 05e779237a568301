package io.shardstore.node.command.data;

import java.util.List;
import java.util.ListIterator;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;

/** insert: the engine inserts; the effect recorder journals what was stored. */
public final class InsertCommand implements Command {

    @Override
    public String name() {
        return "insert";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        List<?> docs = WriteBatch.validate(ctx, "documents");
        idFirst(docs);
        Document reply = ctx.node().storage().run(ctx.channel(), ctx.db(), "insert", ctx.body());
        // mongo-java-server counts the whole batch; mongod counts what was inserted.
        if (reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
            int batch = ((List<?>) ctx.body().get("documents")).size();
            boolean ordered = Boolean.TRUE.equals(ctx.body().get("ordered"));
            int firstFailed = ((Number) ((Document) errors.get(0)).get("index")).intValue();
            reply.put("n", ordered ? firstFailed : batch - errors.size());
        }
        return reply;
    }

    /**
     * Moves {@code _id} to the front of each document that has it elsewhere, as mongod stores it (drivers that add an
     * {@code _id} append it). Secondaries apply inserts with {@code _id} first, so without this a member's copy
     * would differ from its primary's in field order.
     */
    @SuppressWarnings("unchecked")
    private static void idFirst(List<?> docs) {
        ListIterator<Object> it = (ListIterator<Object>) docs.listIterator();
        while (it.hasNext()) {
            Document doc = (Document) it.next();
            if (doc.containsKey("_id") && !"_id".equals(doc.keySet().iterator().next())) {
                Document reordered = new Document("_id", doc.get("_id"));
                doc.forEach((k, v) -> {
                    if (!k.equals("_id")) {
                        reordered.put(k, v);
                    }
                });
                it.set(reordered);
            }
        }
    }
}
