package io.shardstore.node.command.data;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.protocol.ErrorCode;

/**
 * mongod's check of a new document's {@code _id} before storing it: an {@code _id} that is a document may not have
 * {@code $}-prefixed fields (7.0 looks at its top-level fields only; deeper ones are refused from 7.1 on). The engine
 * does not check it, and such an {@code _id} reads back as a query operator, so it must never reach the engine.
 */
final class StorableId {

    private StorableId() {
    }

    /** The write error (without its index) for a document mongod would refuse, or null when its _id may be stored. */
    static Document problem(Document doc) {
        if (doc.get("_id") instanceof Document id) {
            for (String field : id.keySet()) {
                if (field.startsWith("$")) {
                    return new Document("code", ErrorCode.DollarPrefixedFieldName.code())
                        .append("codeName", ErrorCode.DollarPrefixedFieldName.codeName())
                        .append("errmsg", "_id fields may not contain '$'-prefixed fields: " + field + " is not valid for storage.");
                }
            }
        }
        return null;
    }
}
