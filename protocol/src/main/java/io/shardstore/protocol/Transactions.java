package io.shardstore.protocol;

import java.util.Set;

/**
 * Multi-document transactions are not implemented here, on the router nor on the nodes. A driver starts one on the
 * client side and sends {@code startTransaction: true} and {@code autocommit: false} with its first statement (and
 * {@code autocommit: false} with every later one). Those fields were once accepted as generic and ignored: each
 * statement was applied at once, and a later abort undid nothing. Now such a statement is refused before it runs, and
 * commitTransaction / abortTransaction answer that there is no transaction, so that no client believes its writes
 * are atomic when they are not.
 */
public final class Transactions {
    private static final String START_TRANSACTION = "startTransaction";
    private static final String AUTOCOMMIT = "autocommit";
    /** The fields by which a command takes part in a transaction. */
    public static final Set<String> FIELDS = Set.of(START_TRANSACTION, AUTOCOMMIT);
    /** The commands that end a transaction. */
    public static final Set<String> ENDING = Set.of("commitTransaction", "abortTransaction");

    public static final String REFUSED = "Multi-document transactions are not supported by this cluster: the operation was not "
        + "run. Run it without a transaction (each single-document write is atomic, and retryable writes apply once).";
    public static final String NO_TRANSACTION = "There is no transaction in progress: multi-document transactions are not "
        + "supported by this cluster, so none was started.";

    private Transactions() {
    }

    /** Whether a command takes part in a transaction: it has one of {@link #FIELDS} (as the predicate tells). */
    public static boolean takesPart(java.util.function.Predicate<String> hasField) {
        // Two named tests, not a loop over the set: this runs for every request the router gets.
        return hasField.test(START_TRANSACTION) || hasField.test(AUTOCOMMIT);
    }

    /**
     * The code of the refusal of a transaction's statement: OperationNotSupportedInTransaction (263), what mongod answers
     * for a command a transaction cannot run. Not IllegalOperation (20): the Node driver (so mongosh) rewrites every 20
     * on a write into "This MongoDB deployment does not support retryable writes", which would send the user the
     * wrong way.
     */
    public static ErrorCode refusedCode() {
        return ErrorCode.OperationNotSupportedInTransaction;
    }
}
