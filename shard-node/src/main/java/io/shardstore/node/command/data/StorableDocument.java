package io.shardstore.node.command.data;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;

/**
 * What may be stored, checked before the engine sees a write:
 * <ul>
 * <li>mongod's check of a new document's {@code _id}: an {@code _id} that is a document may not have {@code $}-prefixed
 * fields (7.0 looks at its top-level fields only). The engine does not check it, and such an {@code _id} reads back as
 * a query operator.</li>
 * <li>no field name anywhere in a stored document may start with {@code $}. MongoDB 5.0+ stores such names; the
 * engine stored them too, but every replay of the write (journal recovery, a secondary applying the oplog) refused the
 * document, so one such insert stopped replication. Refused (52) until replay can take them.</li>
 * <li>an update operator's paths may have no empty part (56), as mongod's update parser refuses them.</li>
 * </ul>
 */
final class StorableDocument {

    private StorableDocument() {
    }

    /** The write error (without its index) for a document that may not be stored, or null when it may. */
    static Document problem(Document doc) {
        if (doc.get("_id") instanceof Document id) {
            for (String field : id.keySet()) {
                if (field.startsWith("$")) {
                    return error("_id fields may not contain '$'-prefixed fields: " + field + " is not valid for storage.");
                }
            }
        }
        String dollar = dollarField(doc, "");
        return dollar == null ? null : error(message(dollar));
    }

    /**
     * Throws for an update statement's {@code u} (or findAndModify's {@code update}) that would store a {@code $} name:
     * a replacement document, or the values an update operator writes ({@code $set: {a: {$x: 1}}}).
     */
    static void checkUpdate(Object update) {
        if (!(update instanceof Document u)) {
            return; // a pipeline: its stages cannot name a "$" field here ($setField refuses them)
        }
        boolean operators = !u.isEmpty() && u.keySet().iterator().next().startsWith("$");
        String dollar = null;
        if (operators) {
            // Only the operators that store the values they are given; the others take conditions ($pull: {$gt: 5})
            // or modifiers ($push: {$each: [...]}), whose "$" names are operators, not field names.
            for (Map.Entry<String, Object> op : u.entrySet()) {
                if (!(op.getValue() instanceof Document fields)) {
                    continue;
                }
                for (Map.Entry<String, Object> field : fields.entrySet()) {
                    checkPath(field.getKey());
                    if (op.getKey().equals("$rename") && field.getValue() instanceof String to) {
                        checkPath(to);
                    }
                }
                for (Object value : fields.values()) {
                    Object stored = switch (op.getKey()) {
                        case "$set", "$setOnInsert" -> value;
                        case "$push", "$addToSet" -> value instanceof Document d && d.containsKey("$each") ? d.get("$each") : value;
                        default -> null;
                    };
                    dollar = dollar != null ? dollar : dollarField(stored, "");
                }
            }
        } else {
            dollar = dollarField(u, "");
        }
        if (dollar != null) {
            throw Errors.of(ErrorCode.DollarPrefixedFieldName, message(dollar));
        }
    }

    /** An update path with an empty part ("", "a..b", "a.") is refused as mongod refuses it (found by the wire fuzzer). */
    private static void checkPath(String path) {
        if (path.isEmpty()) {
            throw Errors.of(ErrorCode.EmptyFieldName, "An empty update path is not valid.");
        }
        for (String part : path.split("\\.", -1)) {
            if (part.isEmpty()) {
                throw Errors.of(ErrorCode.EmptyFieldName, "The update path '" + path + "' contains an empty field name, which is not allowed.");
            }
        }
    }

    /** Whether {@link #checkUpdate} would refuse this update (the batch then runs statement by statement). */
    static boolean storesDollarField(Object update) {
        try {
            checkUpdate(update);
            return false;
        } catch (de.bwaldvogel.mongo.exception.MongoServerException e) {
            return true;
        }
    }

    private static String message(String path) {
        return "The dollar ($) prefixed field '" + path + "' is not valid for storage here: this server does not store field "
            + "names that start with '$' (MongoDB 5.0+ does)";
    }

    /** The path of the first field whose name starts with "$", in documents and arrays at any depth; null if none. */
    private static String dollarField(Object value, String prefix) {
        if (value instanceof Document d) {
            for (Map.Entry<String, Object> e : d.entrySet()) {
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (e.getKey().startsWith("$")) {
                    return path;
                }
                String deeper = dollarField(e.getValue(), path);
                if (deeper != null) {
                    return deeper;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String deeper = dollarField(list.get(i), prefix + "." + i);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    private static Document error(String message) {
        return new Document("code", ErrorCode.DollarPrefixedFieldName.code())
            .append("codeName", ErrorCode.DollarPrefixedFieldName.codeName()).append("errmsg", message);
    }
}
