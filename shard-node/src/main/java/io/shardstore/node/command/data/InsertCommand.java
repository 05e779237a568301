package io.shardstore.node.command.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ListIterator;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.protocol.CommandSyntax;

/**
 * insert: the engine inserts; the effect recorder journals what was stored. Documents mongod refuses before storing
 * ({@link StorableDocument}) are kept from the engine and reported at their index in the batch: an ordered batch stops
 * there, an unordered one goes on with the rest; {@code n} counts only what was stored.
 */
public final class InsertCommand implements Command {

    @Override
    public CommandSyntax.Syntax options() {
        return CommandSyntax.of("insert");
    }

    @Override
    public String name() {
        return "insert";
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public void validate(CommandContext ctx) {
        WriteBatch.validate(ctx, "documents");
    }

    @Override
    public Document run(CommandContext ctx) {
        List<?> batch = WriteBatch.validate(ctx, "documents");
        idFirst(batch);
        boolean ordered = Boolean.TRUE.equals(ctx.body().get("ordered"));
        List<Document> refused = new ArrayList<>();
        List<Object> accepted = new ArrayList<>();
        List<Integer> positions = new ArrayList<>(); // the batch index of each accepted document
        for (int i = 0; i < batch.size(); i++) {
            Document problem = StorableDocument.problem((Document) batch.get(i));
            if (problem == null) {
                accepted.add(batch.get(i));
                positions.add(i);
                continue;
            }
            refused.add(new Document("index", i).append("code", problem.get("code"))
                .append("codeName", problem.get("codeName")).append("errmsg", problem.get("errmsg")));
            if (ordered) {
                break; // nothing after the first error is tried
            }
        }
        if (!refused.isEmpty()) {
            ctx.body().put("documents", accepted);
        }
        Document reply = accepted.isEmpty() ? new Document("n", 0).append("ok", 1.0)
            : ctx.node().storage().run(ctx.channel(), ctx.db(), "insert", ctx.body());
        List<Document> errors = new ArrayList<>();
        if (reply.get("writeErrors") instanceof List<?> engineErrors) {
            for (Object e : engineErrors) {
                Document error = new Document((Document) e);
                error.put("index", positions.get(((Number) error.get("index")).intValue()));
                errors.add(error);
            }
        }
        // mongo-java-server counts the whole batch it was given; mongod counts what was inserted. An ordered batch
        // stops at its first error: everything before it was accepted and stored, nothing refused lies before it.
        boolean stoppedByEngine = ordered && !errors.isEmpty();
        int stored = stoppedByEngine ? ((Number) errors.get(0).get("index")).intValue() : accepted.size() - errors.size();
        if (!stoppedByEngine) {
            errors.addAll(refused);
        }
        errors.sort(Comparator.comparingInt(e -> ((Number) e.get("index")).intValue()));
        Document result = new Document("n", stored);
        if (!errors.isEmpty()) {
            result.put("writeErrors", errors);
        }
        reply.forEach((k, v) -> {
            if (!k.equals("n") && !k.equals("writeErrors")) {
                result.put(k, v);
            }
        });
        return result;
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
