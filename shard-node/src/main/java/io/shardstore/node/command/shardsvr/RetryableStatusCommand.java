package io.shardstore.node.command.shardsvr;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.replication.ReplicationCoordinator;
import io.shardstore.node.replication.RetryableWrites;
import io.shardstore.protocol.ErrorCode;

/**
 * {@code _shardsvrRetryableStatus}: which of a retryable write's statements this shard has executed (its records of
 * {@code lsid}, {@code txnNumber}, {@code stmtIds}), each with the number of documents it wrote ({@code n}). A router asks every shard before it places a single-document
 * write whose filter names no shard key: if a shard executed the statement already (a retry of a write whose reply
 * was lost), the write goes back to that shard, which answers from its record, instead of to whichever document now
 * matches, which would apply it twice.
 */
public final class RetryableStatusCommand implements Command {

    @Override
    public String name() {
        return "_shardsvrRetryableStatus";
    }

    @Override
    public Document run(CommandContext ctx) {
        RetryableWrites.Key key = RetryableWrites.keyOf(ctx.body());
        if (key == null || !(ctx.body().get("stmtIds") instanceof List<?> ids)) {
            throw Errors.of(ErrorCode.BadValue, name() + " needs lsid, txnNumber and stmtIds");
        }
        ReplicationCoordinator replication = ctx.node().replication();
        List<Document> executed = new ArrayList<>();
        if (replication != null) {
            for (Object id : ids) {
                Document record = id instanceof Number n ? replication.retryable().statement(key, n.intValue()) : null;
                if (record != null) {
                    executed.add(new Document("stmtId", ((Number) id).intValue()).append("n", written(record)));
                }
            }
        }
        return new Document("executed", executed).append("ok", 1.0);
    }

    /** Documents the recorded statement wrote: a batch statement's {@code n}, a findAndModify's lastErrorObject.n. */
    private static int written(Document record) {
        if (record.get("n") instanceof Number n) {
            return n.intValue();
        }
        if (record.get("reply") instanceof Document reply && reply.get("lastErrorObject") instanceof Document last
            && last.get("n") instanceof Number n) {
            return n.intValue();
        }
        return 0;
    }
}
