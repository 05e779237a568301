package io.shardstore.router.planner;

import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.RouterError;
import io.shardstore.sharding.BsonOrder;
import io.shardstore.sharding.ShardKeyPattern;

/**
 * The shard key of a document never changes. For an update this yields the shard-key values the
 * update would write; the update is then made conditional on the document already having them (so it
 * cannot change them), or it is refused with ImmutableField (66) when it could only change or remove them.
 */
public final class ShardKeyGuard {

    private ShardKeyGuard() {
    }

    /** The shard-key values {@code update} writes (field to value), empty when it leaves the key alone. */
    public static BsonDocument writtenKey(ShardKeyPattern key, BsonDocument filter, BsonValue update) {
        BsonDocument written = new BsonDocument();
        if (update.isArray()) {
            if (key.fields().equals(List.of("_id"))) {
                return written; // the shard node keeps _id immutable in pipelines itself
            }
            for (BsonValue stage : update.asArray()) {
                BsonDocument s = stage.asDocument();
                String op = s.isEmpty() ? "" : s.getFirstKey();
                if (op.equals("$replaceRoot") || op.equals("$replaceWith") || op.equals("$project")) {
                    throw immutable(key.fields().get(0));
                }
                if (s.get(op).isDocument()) {
                    for (String path : s.getDocument(op).keySet()) {
                        if (key.touches(path)) {
                            throw immutable(path);
                        }
                    }
                } else if (s.get(op).isString() && key.touches(s.getString(op).getValue())) {
                    throw immutable(s.getString(op).getValue());
                }
            }
            return written;
        }
        BsonDocument u = update.asDocument();
        boolean operators = !u.isEmpty() && u.getFirstKey().startsWith("$");
        if (!operators) {
            for (String field : key.fields()) {
                BsonValue v = ShardKeyPattern.valueAt(u, field);
                if (v == null && field.equals("_id")) {
                    continue; // a replacement without _id keeps the document's _id
                }
                if (v == null) {
                    throw new RouterError(ErrorCode.ImmutableField, "After applying the update, the (immutable) shard key field '"
                        + field + "' was found to have been removed");
                }
                written.put(field, v);
            }
        } else {
            for (Map.Entry<String, BsonValue> op : u.entrySet()) {
                if (op.getKey().equals("$setOnInsert") || !op.getValue().isDocument()) {
                    continue; // $setOnInsert only shapes a new document
                }
                for (Map.Entry<String, BsonValue> field : op.getValue().asDocument().entrySet()) {
                    String path = field.getKey();
                    if (!key.touches(path)) {
                        continue;
                    }
                    if (!op.getKey().equals("$set")) {
                        throw immutable(path);
                    }
                    for (String keyField : key.fields()) {
                        if (keyField.equals(path)) {
                            written.put(keyField, field.getValue());
                        } else if (keyField.startsWith(path + ".") && field.getValue().isDocument()) {
                            BsonValue v = ShardKeyPattern.valueAt(field.getValue().asDocument(), keyField.substring(path.length() + 1));
                            if (v == null) {
                                throw immutable(keyField);
                            }
                            written.put(keyField, v);
                        } else if (keyField.equals(path) || path.startsWith(keyField + ".") || keyField.startsWith(path + ".")) {
                            throw immutable(keyField);
                        }
                    }
                }
            }
        }
        if (written.isEmpty()) {
            return written; // the usual update: it writes no shard-key field
        }
        // Where the filter already pins a field, a different written value is a change for sure.
        List<BsonDocument> pinned = Targeting.exactKeys(key, filter);
        for (Map.Entry<String, BsonValue> w : written.entrySet()) {
            BsonValue cond = Targeting.condition(filter, w.getKey());
            if (cond != null && !cond.isDocument() && BsonOrder.INSTANCE.compare(cond, w.getValue()) != 0) {
                throw immutable(w.getKey());
            }
        }
        return pinned != null && pinned.size() == 1 && coveredByFilter(written, filter) ? new BsonDocument() : written;
    }

    private static boolean coveredByFilter(BsonDocument written, BsonDocument filter) {
        for (Map.Entry<String, BsonValue> w : written.entrySet()) {
            BsonValue cond = Targeting.condition(filter, w.getKey());
            if (cond == null || cond.isDocument() || BsonOrder.INSTANCE.compare(cond, w.getValue()) != 0) {
                return false;
            }
        }
        return true;
    }

    public static RouterError immutable(String field) {
        return new RouterError(ErrorCode.ImmutableField, "Performing an update on the path '" + field
            + "' would modify the immutable field '" + field + "'");
    }
}
