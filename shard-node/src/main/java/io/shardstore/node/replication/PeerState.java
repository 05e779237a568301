package io.shardstore.node.replication;

import java.time.Instant;

/** What this member knows of another member from heartbeats and position reports. Guarded by the coordinator. */
final class PeerState {
    MemberState state = MemberState.UNKNOWN;
    boolean healthy;
    long term = -1;
    OpTime applied = OpTime.NULL;
    Instant appliedWall = Instant.EPOCH;
    String syncSource = "";
    Instant lastHeartbeat;
    Instant lastHeartbeatRecv;
    Instant upSince;
    long lastOkNanos = Long.MIN_VALUE / 2;
    long lastRecvNanos = Long.MIN_VALUE / 2;
    long pingMillis;
    String lastError = "";
}
