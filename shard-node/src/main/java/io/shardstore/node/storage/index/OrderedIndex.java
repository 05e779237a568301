package io.shardstore.node.storage.index;

import java.util.List;

import de.bwaldvogel.mongo.backend.IndexKey;

/** An index that keeps its entries in key order as well, so a query can walk it in a sort's order (an IXSCAN). */
public interface OrderedIndex {

    String getName();

    List<IndexKey> getKeys();

    /** The entries in key order. */
    OrderedKeys ordered();

    /**
     * Whether key order is the documents' sort order: no document has several entries (an array value), and
     * every document is listed (none left out for having too many keys).
     */
    boolean inSortOrder();

    /** Whether every document has an entry, those without a value under the null key (a non-sparse unique index). */
    boolean coversEveryDocument();
}
