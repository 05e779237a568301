package io.shardstore.node.storage;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Where a replica-set member's oplog goes so it survives a restart: journal records {@code oplog} (an entry) and
 * {@code oplogTruncate} (a rollback dropped the entries after {@code ts}). {@link #NONE} keeps nothing.
 * Storage thread only.
 */
public interface OplogDurability {

    void appended(Document entry);

    void truncatedAfter(long ts);

    OplogDurability NONE = new OplogDurability() {
        @Override
        public void appended(Document entry) {
        }

        @Override
        public void truncatedAfter(long ts) {
        }
    };
}
