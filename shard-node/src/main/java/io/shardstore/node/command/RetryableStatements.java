package io.shardstore.node.command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.node.replication.RetryableWrites;
import io.shardstore.protocol.ErrorCode;

/**
 * Runs a retryable write (storage thread, on the primary) so that each of its statements is applied at most once.
 * A statement's id is its index in the batch, or the matching entry of {@code stmtIds} when a router sent one part
 * of a client's batch. Statements already recorded for this session and transaction number are answered from their
 * records (and listed in {@code retriedStmtIds}, as mongod does); the others run (inserts in runs, updates and
 * deletes one by one, so each one's own {@code n} / {@code nModified} / upserted id is known) and are recorded
 * together in one oplog entry. A command that is not a batch (findAndModify) is statement {@code stmtId}, 0 by
 * default, and its whole reply is its record.
 */
final class RetryableStatements {
    private static final Map<String, String> BATCH_FIELDS = Map.of("insert", "documents", "update", "updates", "delete", "deletes");

    private final Command command;
    private final CommandContext ctx;
    private final RetryableWrites.Key key;
    private final ReplicationCoordinator replication;
    private final Function<CommandContext, Document> runner;

    RetryableStatements(Command command, CommandContext ctx, RetryableWrites.Key key, ReplicationCoordinator replication,
                        Function<CommandContext, Document> runner) {
        this.command = command;
        this.ctx = ctx;
        this.key = key;
        this.replication = replication;
        this.runner = runner;
    }

    Document run() {
        try {
            replication.retryable().checkNotTooOld(key);
            command.validate(ctx);
            String field = BATCH_FIELDS.get(ctx.name());
            if (field != null && ctx.body().get(field) instanceof List<?> batch && !batch.isEmpty()) {
                return runBatch(field, batch);
            }
            return runSingle();
        } catch (MongoServerException e) {
            return Errors.reply(e);
        }
    }

    private Document runSingle() {
        int stmtId = ctx.body().get("stmtId") instanceof Number n ? n.intValue() : 0;
        Document recorded = replication.retryable().statement(key, stmtId);
        if (recorded != null) {
            return (Document) recorded.get("reply");
        }
        Document reply = runner.apply(ctx);
        if (isOk(reply)) {
            Document kept = reply.cloneDeeply();
            kept.remove("$clusterTime");
            kept.remove("operationTime");
            replication.recordRetryableWrite(key, List.of(new Document("stmtId", stmtId).append("reply", kept)));
        }
        return reply;
    }

    private Document runBatch(String field, List<?> batch) {
        List<Integer> ids = statementIds(batch.size());
        // command.validate made "ordered" a boolean (true unless sent false).
        boolean ordered = !Boolean.FALSE.equals(ctx.body().get("ordered"));
        boolean inserts = ctx.name().equals("insert");
        BatchReply out = new BatchReply();
        List<Document> executed = new ArrayList<>();
        int i = 0;
        while (i < batch.size() && !(ordered && out.failed())) {
            Document recorded = replication.retryable().statement(key, ids.get(i));
            if (recorded != null) {
                out.addRecorded(i, recorded);
                i++;
                continue;
            }
            int end = i + 1;
            while (inserts && end < batch.size() && replication.retryable().statement(key, ids.get(end)) == null) {
                end++;
            }
            Document reply = runner.apply(part(field, batch, i, end));
            // The usual case: nothing of it ran before and it ran as one, so its own reply is the answer.
            boolean whole = i == 0 && end == batch.size();
            if (!isOk(reply)) {
                if (whole) {
                    return reply; // the command itself failed: nothing ran, as without retries
                }
                for (int k = i; k < (ordered ? i + 1 : end); k++) {
                    out.error(k, reply);
                }
            } else {
                List<Document> records = out.addExecuted(reply, i, end, ids, ordered);
                if (whole) {
                    if (!records.isEmpty()) {
                        replication.recordRetryableWrite(key, records);
                    }
                    return reply;
                }
                executed.addAll(records);
            }
            i = end;
        }
        if (!executed.isEmpty()) {
            replication.recordRetryableWrite(key, executed);
        }
        return out.reply(ctx.name());
    }

    /** The batch's statement ids: the {@code stmtIds} sent with it, else the statements' indexes. */
    private List<Integer> statementIds(int size) {
        List<Integer> ids = new ArrayList<>(size);
        if (ctx.body().get("stmtIds") instanceof List<?> sent) {
            if (sent.size() != size) {
                throw Errors.of(ErrorCode.BadValue, "The size of stmtIds (" + sent.size()
                    + ") must match the number of operations in the batch (" + size + ")");
            }
            for (Object id : sent) {
                if (!(id instanceof Number n)) {
                    throw Errors.typeMismatch("stmtIds must hold numbers, found " + Errors.typeName(id));
                }
                ids.add(n.intValue());
            }
            return ids;
        }
        for (int i = 0; i < size; i++) {
            ids.add(i);
        }
        return ids;
    }

    /** The command for statements [from, to): the whole request when that is all of it, else a copy with that slice. */
    private CommandContext part(String field, List<?> batch, int from, int to) {
        if (from == 0 && to == batch.size() && !ctx.body().containsKey("stmtIds")) {
            return ctx;
        }
        Document body = new Document(ctx.body());
        body.remove("stmtIds");
        body.put(field, new ArrayList<>(batch.subList(from, to)));
        return new CommandContext(ctx.name(), ctx.db(), body, ctx.connection(), ctx.node());
    }

    private static boolean isOk(Document reply) {
        return reply.get("ok") instanceof Number ok && ok.doubleValue() == 1.0;
    }

    /** The client's reply, assembled from recorded and executed statements, indexes as in the batch sent. */
    private static final class BatchReply {
        private long n;
        private long nModified;
        private final List<Document> upserted = new ArrayList<>();
        private final List<Document> writeErrors = new ArrayList<>();
        private final List<Integer> retried = new ArrayList<>();

        boolean failed() {
            return !writeErrors.isEmpty();
        }

        void addRecorded(int index, Document record) {
            retried.add(((Number) record.get("stmtId")).intValue());
            count(index, record);
        }

        private void count(int index, Document record) {
            n += ((Number) record.getOrDefault("n", 0)).longValue();
            nModified += ((Number) record.getOrDefault("nModified", 0)).longValue();
            if (record.containsKey("upsertedId")) {
                upserted.add(new Document("index", index).append("_id", record.get("upsertedId")));
            }
        }

        void error(int index, Document failure) {
            Document error = new Document("index", index).append("code", failure.get("code"));
            if (failure.get("codeName") != null) {
                error.append("codeName", failure.get("codeName"));
            }
            writeErrors.add(error.append("errmsg", failure.get("errmsg")));
        }

        /**
         * Takes the reply of statements [from, to) and returns a record for each one that was applied. A run of
         * inserts applied each statement without a write error (before the first one, when ordered); an update
         * or a delete runs alone, so its counts are its own.
         */
        List<Document> addExecuted(Document reply, int from, int to, List<Integer> ids, boolean ordered) {
            List<Document> records = new ArrayList<>();
            List<Integer> failedAt = new ArrayList<>();
            if (reply.get("writeErrors") instanceof List<?> errors) {
                for (Object e : errors) {
                    Document error = new Document((Document) e);
                    int index = from + ((Number) error.get("index")).intValue();
                    error.put("index", index);
                    writeErrors.add(error);
                    failedAt.add(index);
                }
            }
            int stop = ordered && !failedAt.isEmpty() ? failedAt.stream().min(Comparator.naturalOrder()).orElseThrow() : to;
            if (to - from == 1) {
                if (failedAt.isEmpty()) {
                    Document record = new Document("stmtId", ids.get(from)).append("n", reply.getOrDefault("n", 0));
                    if (reply.containsKey("nModified")) {
                        record.append("nModified", reply.get("nModified"));
                    }
                    if (reply.get("upserted") instanceof List<?> up && !up.isEmpty()) {
                        record.append("upsertedId", ((Document) up.get(0)).get("_id"));
                    }
                    count(from, record);
                    records.add(record);
                }
                return records;
            }
            for (int k = from; k < stop; k++) {
                if (!failedAt.contains(k)) {
                    Document record = new Document("stmtId", ids.get(k)).append("n", 1);
                    count(k, record);
                    records.add(record);
                }
            }
            return records;
        }

        Document reply(String command) {
            Document reply = new Document("n", (int) n);
            if (command.equals("update")) {
                reply.append("nModified", (int) nModified);
                if (!upserted.isEmpty()) {
                    reply.append("upserted", upserted);
                }
            }
            if (!writeErrors.isEmpty()) {
                writeErrors.sort(Comparator.comparingInt(e -> ((Number) e.get("index")).intValue()));
                reply.append("writeErrors", writeErrors);
            }
            if (!retried.isEmpty()) {
                reply.append("retriedStmtIds", retried);
            }
            return reply.append("ok", 1.0);
        }
    }
}
