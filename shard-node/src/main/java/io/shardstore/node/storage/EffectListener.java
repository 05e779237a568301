package io.shardstore.node.storage;

import de.bwaldvogel.mongo.bson.Document;

/** Sees every effect the storage engine records (see {@link JournalRecords}); called on the storage thread. */
public interface EffectListener {
    void onEffect(Document effect);
}
