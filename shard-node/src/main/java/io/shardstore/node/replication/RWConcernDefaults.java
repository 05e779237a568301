package io.shardstore.node.replication;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.StorageEngine;

/**
 * The set's default read and write concern as {@code setDefaultRWConcern} stores them: the document
 * {@code {_id: "ReadWriteConcernDefaults"}} of {@code config.settings}, an ordinary replicated write, so every member
 * (and a new primary after a failover) has the same defaults. Read on the storage thread by an {@code _id} lookup
 * when a write comes without its own {@code w}.
 */
public final class RWConcernDefaults {
    public static final String ID = "ReadWriteConcernDefaults";

    private RWConcernDefaults() {
    }

    /** The stored defaults document, or null. Storage thread. */
    public static Document load(StorageEngine storage) {
        Document reply = storage.runAsSystem("config", "find", new Document("find", "settings")
            .append("filter", new Document("_id", ID)).append("limit", 1));
        if (reply.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> batch
            && !batch.isEmpty() && batch.get(0) instanceof Document d) {
            return d;
        }
        return null;
    }

    /** The stored default write concern (with a {@code w}), or null. Storage thread. */
    public static Document writeConcern(StorageEngine storage) {
        Document d = load(storage);
        return d != null && d.get("defaultWriteConcern") instanceof Document wc && wc.containsKey("w") ? wc : null;
    }
}
