package io.shardstore.node.replication;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A member whose last applied entry is older than its sync source's oldest one fell off the source's capped oplog:
 * the entries between are gone, so it must neither apply what follows (a gap) nor roll back. As mongod, it goes to
 * RECOVERING with "error RS102 too stale to catch up" in rs.status() and stays there until it is resynced (an
 * empty dbpath: initial sync).
 */
final class TooStale {
    private static final Logger log = LoggerFactory.getLogger(TooStale.class);
    static final String MESSAGE = "error RS102 too stale to catch up";

    private TooStale() {
    }

    /** @return whether this member is too stale for {@code source} (then it is RECOVERING now) */
    static boolean check(ReplicationCoordinator coordinator, PeerClient source, OpTime last) throws IOException {
        Document reply = source.run("local", new Document("find", "oplog.rs").append("limit", 1));
        if (!(reply.get("cursor") instanceof Document cursor) || !(cursor.get("firstBatch") instanceof List<?> oldest)
            || oldest.isEmpty()) {
            return false;
        }
        OpTime theirOldest = OpTime.ofEntry((Document) oldest.get(0));
        if (Long.compareUnsigned(theirOldest.ts(), last.ts()) <= 0) {
            return false; // the source still has entries from before ours: diverged, a rollback's case
        }
        String info = MESSAGE + ": our last optime " + last + " is older than the oldest entry " + theirOldest + " of "
            + source.host();
        if (coordinator.transition(MemberState.SECONDARY, MemberState.RECOVERING, info)) {
            log.error("{}; this member needs a resync (an empty dbpath)", info);
        }
        return true;
    }
}
