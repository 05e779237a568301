package io.shardstore.node.command.data;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.protocol.WireLimits;

/** Checks shared by insert, update and delete: the batch field, its size and the ordered flag. */
final class WriteBatch {
    private static final int MISSING_REQUIRED_FIELD = 40414;

    private WriteBatch() {
    }

    /** Validates the batch in {@code field} and makes {@code ordered} explicit (its default is true). */
    static List<?> validate(CommandContext ctx, String field) {
        ctx.collectionName();
        Object batch = ctx.body().get(field);
        if (batch == null) {
            // mongod's command parser (IDL) reports a missing required field as assertion 40414.
            throw Errors.location(MISSING_REQUIRED_FIELD,
                "BSON field '" + ctx.name() + "." + field + "' is missing but a required field");
        }
        if (!(batch instanceof List<?> list)) {
            throw Errors.typeMismatch("BSON field '" + ctx.name() + "." + field + "' is the wrong type '"
                + Errors.typeName(batch) + "', expected type 'array'");
        }
        if (list.isEmpty() || list.size() > WireLimits.MAX_WRITE_BATCH_SIZE) {
            throw Errors.of(ErrorCode.InvalidLength, "Write batch sizes must be between 1 and "
                + WireLimits.MAX_WRITE_BATCH_SIZE + ". Got " + list.size() + " operations.");
        }
        for (Object item : list) {
            if (!(item instanceof Document)) {
                throw Errors.typeMismatch("BSON field '" + ctx.name() + "." + field + "' must hold documents, found "
                    + Errors.typeName(item));
            }
        }
        Object ordered = ctx.body().get("ordered");
        ctx.body().put("ordered", ordered == null || Boolean.TRUE.equals(ordered)
            || (ordered instanceof Number n && n.doubleValue() != 0));
        return list;
    }
}
