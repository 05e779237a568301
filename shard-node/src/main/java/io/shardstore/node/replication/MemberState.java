package io.shardstore.node.replication;

/** A member's state as replSetGetStatus and heartbeats report it (MongoDB's numbers and names). */
public enum MemberState {
    STARTUP(0), PRIMARY(1), SECONDARY(2), RECOVERING(3), STARTUP2(5), UNKNOWN(6), ARBITER(7), DOWN(8), ROLLBACK(9), REMOVED(10);

    private final int code;

    MemberState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** In an initial sync, a rollback, or too stale to go on: a new config does not make it a secondary. */
    public boolean busySyncing() {
        return this == STARTUP2 || this == ROLLBACK || this == RECOVERING;
    }

    public static MemberState of(int code) {
        for (MemberState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
