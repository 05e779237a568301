package io.shardstore.node.replication;

import de.bwaldvogel.mongo.bson.Document;

/**
 * An oplog entry this member cannot apply. Carrying on past it would leave the member silently different from its
 * primary, so it ends replication on this member (mongod fasserts); the message names the entry.
 */
final class OplogApplyException extends RuntimeException {
    private final Document entry;

    OplogApplyException(Document entry, String reason, Throwable cause) {
        super("cannot apply oplog entry " + entry.toString() + ": " + reason, cause);
        this.entry = entry;
    }

    Document entry() {
        return entry;
    }
}
