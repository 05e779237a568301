package io.shardstore.node.command;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/**
 * One command of the node. A handler returns a reply or throws a {@code MongoServerError}; never both,
 * never neither. Unless {@link #inline()}, it runs on the storage thread.
 */
public interface Command {

    String name();

    default List<String> aliases() {
        return List.of();
    }

    /**
     * The handler for this request: usually this command; a command may hand some requests to another (getMore on a
     * tailable oplog cursor is answered from the oplog, held until new entries come, instead of by the engine).
     */
    default Command forRequest(CommandContext ctx) {
        return this;
    }

    /** True for cheap commands that touch no storage; they answer straight from the event loop. */
    default boolean inline() {
        return false;
    }

    /**
     * True for commands that wait on other servers (the config server's DDL). They run on a separate
     * executor, so neither an event loop nor the storage thread waits on the network.
     */
    default boolean blocking() {
        return false;
    }

    /**
     * How long to hold the reply. An awaitable hello (a driver's streaming monitor) waits up to
     * maxAwaitTimeMS when nothing changed, instead of answering at once and being asked again at once.
     */
    default long replyDelayMillis(CommandContext ctx) {
        return 0;
    }

    /** For a held reply ({@link #replyDelayMillis}): completes when it should be answered early; null never. */
    default java.util.concurrent.CompletableFuture<?> wakeUp(CommandContext ctx) {
        return null;
    }

    /** True for commands that change data, so a {@code j: true} write concern waits for the journal. */
    /**
     * Whether this request only reads the engine and may run beside other reads, on a reader thread under the
     * storage read lock (decision 0010): it must not change the engine, the journal or node state.
     */
    default boolean concurrentRead(CommandContext ctx) {
        return false;
    }

    /** For {@link #concurrentRead}: any database but local, whose oplog is replication's own structure, not the engine's. */
    static boolean outsideLocal(CommandContext ctx) {
        return !"local".equals(ctx.db());
    }

    default boolean writes() {
        return false;
    }

    /**
     * Checks the whole request as the handler's parser would, throwing the error it would answer, before anything
     * runs. A retryable batch runs statement by statement ({@code RetryableStatements}); a malformed statement must
     * still fail the whole command, as without retries, not become a write error after the statements before it ran.
     */
    default void validate(CommandContext ctx) {
    }

    /**
     * The fields this handler honours ({@link io.shardstore.protocol.CommandSyntax}, the table the router checks too),
     * checked before it runs (unknown: 40415, known to MongoDB but not done here: 238); null for commands that do not
     * declare them yet (admin, replication and internal commands).
     */
    default io.shardstore.protocol.CommandSyntax.Syntax options() {
        return null;
    }

    Document run(CommandContext ctx);
}
