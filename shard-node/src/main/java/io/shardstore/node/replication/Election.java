package io.shardstore.node.replication;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;

/** One election: asks every other voting member for its vote in parallel; a majority makes this member primary. */
final class Election {
    private static final Logger log = LoggerFactory.getLogger(Election.class);

    /** What a candidate asks with. */
    record Ballot(ReplSetConfig config, int selfId, long term, OpTime lastApplied, boolean dryRun, boolean stepUp, long attempt) {
    }

    private final ReplicationCoordinator coordinator;

    Election(ReplicationCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    void run(Ballot ballot) {
        ReplSetConfig cfg = ballot.config();
        int needed = cfg.majority();
        AtomicInteger votes = new AtomicInteger(cfg.member(ballot.selfId()).voter() ? 1 : 0);
        AtomicBoolean decided = new AtomicBoolean();
        if (votes.get() >= needed && decided.compareAndSet(false, true)) {
            coordinator.onElectionWon(ballot);
            return;
        }
        int timeout = (int) Math.max(500, cfg.electionTimeoutMillis());
        int voters = cfg.votingCount();
        AtomicInteger refused = new AtomicInteger();
        Runnable refusal = () -> {
            if (voters - refused.incrementAndGet() < needed && decided.compareAndSet(false, true)) {
                log.info("{}election in term {} lost: too many refusals", ballot.dryRun() ? "dry-run " : "", ballot.term());
                coordinator.onElectionLost(ballot);
            }
        };
        for (MemberConfig m : cfg.members()) {
            if (m.id() == ballot.selfId() || !m.voter()) {
                continue;
            }
            coordinator.network.execute(() -> {
                Document request = new Document("replSetRequestVotes", 1).append("setName", cfg.name()).append("dryRun", ballot.dryRun()).append("stepUp", ballot.stepUp())
                    .append("term", ballot.term()).append("candidateIndex", cfg.indexOf(ballot.selfId()))
                    .append("configVersion", cfg.version()).append("configTerm", cfg.term())
                    .append("lastAppliedOpTime", ballot.lastApplied().toDocument());
                try (PeerClient client = coordinator.peer(m.host(), timeout)) {
                    Document reply = client.run("admin", request);
                    if (Boolean.TRUE.equals(reply.get("voteGranted"))) {
                        if (votes.incrementAndGet() >= needed && decided.compareAndSet(false, true)) {
                            coordinator.onElectionWon(ballot);
                        }
                    } else {
                        refusal.run();
                        log.info("{} denied its vote in {}term {}: {}", m.host(), ballot.dryRun() ? "dry-run " : "", ballot.term(), reply.get("reason"));
                        if (!ballot.dryRun() && reply.get("term") instanceof Number t) {
                            synchronized (coordinator) {
                                coordinator.updateTerm(t.longValue());
                            }
                        }
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    refusal.run();
                    log.info("no vote from {}: {}", m.host(), e.toString());
                }
            });
        }
        coordinator.timers.schedule(() -> {
            if (decided.compareAndSet(false, true)) {
                log.info("{}election in term {} failed: {} of {} needed votes", ballot.dryRun() ? "dry-run " : "", ballot.term(), votes.get(), needed);
                coordinator.onElectionLost(ballot);
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }
}
