package io.shardstore.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients did to each document and what they were told, and what a checker concludes from it. Each
 * document belongs to one client thread (its only writer), so its history is a sequence: an insert, increments, at
 * most one delete. An outcome is ACK (acknowledged), FAIL (the server refused the statement: a write error) or
 * UNKNOWN (an exception after the driver's own retry: applied or not, nobody can say).
 */
final class History {
    enum Outcome { ACK, FAIL, UNKNOWN }

    /** One document's writes. Fields are written by its owner thread only; read by the checker after the round. */
    static final class Doc {
        final String id;
        volatile Outcome insert;
        volatile long ackedIncrements;
        volatile long unknownIncrements;
        volatile Outcome delete;
        volatile long deleted = -1;
        /** What happened to it, in order, for the report of an anomaly: "+12345ms update ACK". */
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

        Doc(String id) {
            this.id = id;
        }

        void note(long atMillis, String what) {
            events.add("+" + atMillis + "ms " + what);
        }
    }

    final Map<String, Doc> docs = new ConcurrentHashMap<>();
    final List<String> anomalies = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    /** Documents whose final state contradicts their history: each is looked up on every member. */
    final List<String> lost = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Where each of those is, member by member (diagnostics for the report, not anomalies). */
    final List<String> locations = java.util.Collections.synchronizedList(new ArrayList<>());

    void count(String what) {
        counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    void anomaly(String what) {
        anomalies.add(what);
    }

    private void anomaly(Doc d, String what) {
        anomalies.add(d.id + ": " + what + " " + d.events);
        lost.add(d.id);
    }

    /**
     * Checks the final state of each document (by _id, through the router once every fault is healed) against its
     * history: acknowledged writes present exactly once, refused ones not applied, increments neither lost nor
     * applied twice.
     */
    void check(Map<String, Integer> copies, Map<String, Long> finalN) {
        for (Doc d : docs.values()) {
            int n = copies.getOrDefault(d.id, 0);
            if (n > 1) {
                anomaly(d, "" + n + " copies");
            }
            boolean present = n > 0;
            boolean deleteMayHaveRun = d.delete == Outcome.ACK || d.delete == Outcome.UNKNOWN;
            if (d.insert == Outcome.ACK && !present && !deleteMayHaveRun) {
                anomaly(d, "acknowledged insert lost");
            }
            if (d.insert == Outcome.FAIL && present) {
                anomaly(d, "insert reported failed was applied");
            }
            if (d.delete == Outcome.ACK && d.deleted == 1 && present) {
                anomaly(d, "acknowledged delete not applied (still present)");
            }
            if (d.delete == Outcome.FAIL && d.insert == Outcome.ACK && !present) {
                anomaly(d, "delete reported failed was applied");
            }
            if (present && d.delete == null) {
                long value = finalN.getOrDefault(d.id, 0L);
                if (value < d.ackedIncrements) {
                    anomaly(d, "n = " + value + " but " + d.ackedIncrements + " increments were acknowledged (lost)");
                }
                if (value > d.ackedIncrements + d.unknownIncrements) {
                    anomaly(d.id + ": n = " + value + " but only " + d.ackedIncrements + " acknowledged and "
                        + d.unknownIncrements + " unknown increments (applied twice)");
                }
            }
        }
        for (String id : copies.keySet()) {
            if (!docs.containsKey(id)) {
                anomaly(id + ": present but never written");
            }
        }
    }
}
