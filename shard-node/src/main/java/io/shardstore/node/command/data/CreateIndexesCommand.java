package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * createIndexes. The engine neither refuses every conflicting spec (an index name reused for another key
 * corrupts its catalog) nor counts per collection, so the specs are checked against the collection's
 * indexes here and the reply is built as mongod builds it; the engine then creates, and the change is journaled.
 */
public final class CreateIndexesCommand implements Command {
    private final CatalogCommand catalog = new CatalogCommand("createIndexes");

    @Override
    public String name() {
        return "createIndexes";
    }

    @Override
    public io.shardstore.protocol.CommandSyntax.Syntax options() {
        return io.shardstore.protocol.CommandSyntax.of("createIndexes");
    }

    @Override
    public boolean writes() {
        return true;
    }

    @Override
    public Document run(CommandContext ctx) {
        String collection = ctx.collectionName();
        Object indexes = ctx.body().get("indexes");
        if (indexes == null) {
            throw Errors.location(40414, "BSON field 'createIndexes.indexes' is missing but a required field");
        }
        if (!(indexes instanceof List<?> specs)) {
            throw Errors.typeMismatch("BSON field 'createIndexes.indexes' is the wrong type '" + Errors.typeName(indexes)
                + "', expected type 'array'");
        }
        if (specs.isEmpty()) {
            throw Errors.of(ErrorCode.BadValue, "Must specify at least one index to create");
        }
        boolean existed = Namespaces.collection(ctx, ctx.db(), collection) != null;
        List<Document> existing = existed ? Namespaces.indexes(ctx, ctx.db(), collection) : List.of();
        int before = existed ? existing.size() : 1; // a new collection starts with its _id index
        boolean anyNew = false;
        for (Object item : specs) {
            // Drivers always send both; mongod refuses an empty key pattern with CannotCreateIndex.
            if (!(item instanceof Document spec) || !(spec.get("key") instanceof Document key) || key.isEmpty()
                || !(spec.get("name") instanceof String name)) {
                throw Errors.of(ErrorCode.CannotCreateIndex, "Error in specification " + item
                    + " :: caused by :: an index needs a non-empty 'key' document and a 'name' string");
            }
            // A legacy field mongod ignores; the engine would take it as the collection to index (another database's
            // namespace made it fail with an internal error).
            spec.remove("ns");
            checkKeyTypes(key);
            checkTtl(spec, key);
            anyNew |= isNew(spec, name, existing);
        }
        if (!anyNew && existed) {
            return new Document("numIndexesBefore", before).append("numIndexesAfter", before)
                .append("note", "all indexes already exist").append("ok", 1.0);
        }
        catalog.run(ctx);
        return new Document("numIndexesBefore", before)
            .append("numIndexesAfter", Namespaces.indexes(ctx, ctx.db(), collection).size())
            .append("createdCollectionAutomatically", !existed)
            .append("ok", 1.0);
    }

    /**
     * Ascending, descending and hashed keys only. The engine took any other type ("text", "2dsphere", a wildcard "$**")
     * as a plain descending index, and the queries those indexes exist for ($text, $near) then failed or matched
     * nothing: refused up front instead.
     */
    private static void checkKeyTypes(Document key) {
        for (java.util.Map.Entry<String, Object> field : key.entrySet()) {
            Object type = field.getValue();
            if (field.getKey().equals("$**") || field.getKey().endsWith(".$**")) {
                throw Errors.of(ErrorCode.NotImplemented, "wildcard indexes are not supported by this server: " + key);
            }
            if (!(type instanceof Number) && !"hashed".equals(type)) {
                throw Errors.of(ErrorCode.NotImplemented, "index type " + type + " is not supported by this server"
                    + " (ascending, descending and hashed keys are): " + key);
            }
        }
    }

    /** A TTL index as mongod takes it: one field, not _id, a whole number of seconds within int32's range. */
    private static void checkTtl(Document spec, Document key) {
        if (!spec.containsKey("expireAfterSeconds")) {
            return;
        }
        Object seconds = spec.get("expireAfterSeconds");
        if (!(seconds instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > Integer.MAX_VALUE || Double.isNaN(n.doubleValue())) {
            throw Errors.of(ErrorCode.CannotCreateIndex, "TTL index 'expireAfterSeconds' option must be within an acceptable range,"
                + " try a lower number: " + seconds);
        }
        if (key.size() != 1) {
            throw Errors.of(ErrorCode.CannotCreateIndex, "TTL indexes are single-field indexes, compound indexes do not support TTL. "
                + "Index spec: " + spec);
        }
        if (key.containsKey("_id")) {
            throw Errors.of(ErrorCode.CannotCreateIndex, "The field 'expireAfterSeconds' is not valid for an _id index specification."
                + " Specification: " + spec);
        }
    }

    /** False if the very same index exists; throws if the spec conflicts with an existing index. */
    private static boolean isNew(Document spec, String name, List<Document> existing) {
        for (Document index : existing) {
            if (name.equals(index.get("name"))) {
                if (!IndexSpecs.sameIdentity(spec, index)) {
                    throw Errors.of(ErrorCode.IndexKeySpecsConflict, "An existing index has the same name as the requested index. "
                        + "When index names are not specified, they are auto generated and can cause conflicts. "
                        + "Please refer to our documentation. Requested index: " + spec + ", existing index: " + index);
                }
                if (!IndexSpecs.sameOptions(spec, index)) {
                    throw Errors.of(ErrorCode.IndexOptionsConflict, "An equivalent index already exists with the same name "
                        + "but different options. Requested index: " + spec + ", existing index: " + index);
                }
                return false;
            }
        }
        for (Document index : existing) {
            if (IndexSpecs.sameIdentity(spec, index)) {
                throw Errors.of(ErrorCode.IndexOptionsConflict, "Index already exists with a different name: " + index.get("name"));
            }
        }
        return true;
    }
}
