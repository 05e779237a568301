package io.shardstore.router.cursor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

import org.bson.BsonDocument;

/**
 * Merges the cursors of several shards: a k-way merge on the sort key when there is one (a shard's
 * buffer is refilled before its next document is compared), concatenation otherwise. Skip and limit
 * are applied here, after the merge; documents a shard holds but does not own (orphans during a
 * migration) are dropped by {@code owned}.
 */
public final class MergeCursor implements RouterCursor {

    /** One shard's part: its buffered documents and its remote cursor. */
    public static final class Stream {
        final String shard;
        final RemoteCursor remote;
        final Deque<BsonDocument> buffer = new ArrayDeque<>();

        public Stream(String shard, RemoteCursor remote, List<BsonDocument> firstBatch) {
            this.shard = shard;
            this.remote = remote;
            buffer.addAll(firstBatch);
        }

        boolean drained() {
            return buffer.isEmpty() && remote.exhausted();
        }

        public void remoteKill() {
            remote.kill();
        }
    }

    private final String ns;
    private final List<Stream> streams;
    private final Comparator<BsonDocument> order;
    private final BiPredicate<String, BsonDocument> owned;
    private final UnaryOperator<BsonDocument> finish;
    private long skip;
    private long limit;
    private long returned;

    public MergeCursor(String ns, List<Stream> streams, Comparator<BsonDocument> order, BiPredicate<String, BsonDocument> owned,
                       UnaryOperator<BsonDocument> finish, long skip, long limit) {
        this.ns = ns;
        this.streams = streams;
        this.order = order;
        this.owned = owned;
        this.finish = finish;
        this.skip = skip;
        this.limit = limit;
        streams.forEach(s -> s.buffer.removeIf(d -> !owned.test(s.shard, d)));
    }

    @Override
    public String ns() {
        return ns;
    }

    @Override
    public synchronized CompletableFuture<List<BsonDocument>> next(int batchSize) {
        return fill(new ArrayList<>(), batchSize);
    }

    private CompletableFuture<List<BsonDocument>> fill(List<BsonDocument> batch, int batchSize) {
        while (batch.size() < batchSize && !limitReached()) {
            List<Stream> needRefill = new ArrayList<>();
            for (Stream s : streams) {
                if (s.buffer.isEmpty() && !s.remote.exhausted()) {
                    needRefill.add(s);
                }
            }
            // Without a sort any buffered document may go next; with one, every live shard must show its head.
            if (!needRefill.isEmpty() && (order != null || streams.stream().allMatch(s -> s.buffer.isEmpty()))) {
                List<CompletableFuture<Void>> refills = new ArrayList<>();
                for (Stream s : needRefill) {
                    refills.add(s.remote.next(Math.max(batchSize, 101)).thenAccept(docs -> {
                        synchronized (this) {
                            for (BsonDocument d : docs) {
                                if (owned.test(s.shard, d)) {
                                    s.buffer.add(d);
                                }
                            }
                        }
                    }));
                }
                return CompletableFuture.allOf(refills.toArray(CompletableFuture[]::new)).thenCompose(done -> {
                    synchronized (this) {
                        return fill(batch, batchSize);
                    }
                });
            }
            Stream next = null;
            for (Stream s : streams) {
                if (!s.buffer.isEmpty() && (next == null || (order != null && order.compare(s.buffer.peek(), next.buffer.peek()) < 0))) {
                    next = s;
                }
            }
            if (next == null) {
                break; // every shard is drained
            }
            BsonDocument doc = next.buffer.poll();
            if (skip > 0) {
                skip--;
                continue;
            }
            batch.add(finish.apply(doc));
            returned++;
        }
        if (limitReached()) {
            kill();
        }
        return CompletableFuture.completedFuture(batch);
    }

    private boolean limitReached() {
        return limit > 0 && returned >= limit;
    }

    @Override
    public synchronized boolean exhausted() {
        return limitReached() || streams.stream().allMatch(Stream::drained);
    }

    @Override
    public void kill() {
        streams.forEach(s -> s.remote.kill());
    }
}
