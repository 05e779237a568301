package io.shardstore.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logical sessions a server has seen (mongod's and mongos's local session cache): each session's id and when it
 * was last used, for {@code $listLocalSessions}. A session unused for {@link #TIMEOUT_MILLIS} (hello's
 * {@code logicalSessionTimeoutMinutes}) or ended by {@code endSessions} is gone. The id is whatever the server decodes
 * an lsid's {@code id} to (a UUID); at most {@link #MAX_SESSIONS} are kept, as mongod's default cache size.
 */
public final class SessionRegistry {
    public static final long TIMEOUT_MILLIS = 30 * 60_000L;
    public static final int MAX_SESSIONS = 1_000_000;

    private final Map<Object, Long> lastUse = new ConcurrentHashMap<>();

    /** How stale a recorded last use may be: a session's timeout is in minutes, so a second is exact enough. */
    private static final long RECORD_EVERY_MILLIS = 1_000;

    /** Called for every command that names a session. */
    public void used(Object id) {
        if (id == null) {
            return;
        }
        long now = System.currentTimeMillis();
        Long last = lastUse.get(id);
        // Most commands come on a session used a moment ago: one read, no write (every request of a driver names one).
        if (last != null ? now - last >= RECORD_EVERY_MILLIS : lastUse.size() < MAX_SESSIONS) {
            lastUse.put(id, now);
        }
    }

    public void ended(Object id) {
        lastUse.remove(id);
    }

    /** The live sessions and when each was last used (epoch millis); expired ones are dropped on the way. */
    public Map<Object, Long> live() {
        long oldest = System.currentTimeMillis() - TIMEOUT_MILLIS;
        lastUse.values().removeIf(t -> t < oldest);
        return Map.copyOf(lastUse);
    }

    /** The {@code uid} mongod gives sessions of an unauthenticated client: the SHA-256 of the empty user name. */
    public static byte[] anonymousUid() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(new byte[0]);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
