package io.shardstore.sharding;

import java.util.Comparator;
import java.util.Iterator;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/** Orders shard keys (documents of one shape) field by field in pattern order. */
public final class KeyOrder implements Comparator<BsonDocument> {
    public static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(BsonDocument a, BsonDocument b) {
        Iterator<BsonValue> ia = a.values().iterator();
        Iterator<BsonValue> ib = b.values().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int c = BsonOrder.INSTANCE.compare(ia.next(), ib.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }
}
