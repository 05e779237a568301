package io.shardstore.sharding;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * MongoDB's total order over BSON values (MinKey < null < numbers < strings < objects < arrays < binary <
 * ObjectId < bool < date < timestamp < regex < MaxKey), used to place shard-key values into chunks and
 * to merge sorted results from several shards.
 */
public final class BsonOrder implements Comparator<BsonValue> {
    public static final BsonOrder INSTANCE = new BsonOrder();

    private BsonOrder() {
    }

    /** The canonical rank of a type: values of different ranks compare by rank alone. */
    public static int rank(BsonType type) {
        return switch (type) {
            case MIN_KEY -> 1;
            case NULL, UNDEFINED -> 2;
            case INT32, INT64, DOUBLE, DECIMAL128 -> 3;
            case SYMBOL, STRING -> 4;
            case DOCUMENT -> 5;
            case ARRAY -> 6;
            case BINARY -> 7;
            case OBJECT_ID -> 8;
            case BOOLEAN -> 9;
            case DATE_TIME -> 10;
            case TIMESTAMP -> 11;
            case REGULAR_EXPRESSION -> 12;
            case DB_POINTER -> 13;
            case JAVASCRIPT -> 14;
            case JAVASCRIPT_WITH_SCOPE -> 15;
            case MAX_KEY -> 100;
            default -> 50;
        };
    }

    @Override
    public int compare(BsonValue a, BsonValue b) {
        int ra = rank(a.getBsonType());
        int rb = rank(b.getBsonType());
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (a.getBsonType()) {
            case MIN_KEY, MAX_KEY, NULL, UNDEFINED -> 0;
            case INT32, INT64, DOUBLE, DECIMAL128 -> compareNumbers(a, b);
            case STRING, SYMBOL -> compareStrings(stringOf(a), stringOf(b));
            case DOCUMENT -> compareDocuments(a.asDocument(), b.asDocument());
            case ARRAY -> compareArrays(a.asArray(), b.asArray());
            case BINARY -> compareBinary(a, b);
            case OBJECT_ID -> a.asObjectId().getValue().compareTo(b.asObjectId().getValue());
            case BOOLEAN -> Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
            case DATE_TIME -> Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
            case TIMESTAMP -> Long.compareUnsigned(a.asTimestamp().getValue(), b.asTimestamp().getValue());
            case REGULAR_EXPRESSION -> {
                int c = compareStrings(a.asRegularExpression().getPattern(), b.asRegularExpression().getPattern());
                yield c != 0 ? c : compareStrings(a.asRegularExpression().getOptions(), b.asRegularExpression().getOptions());
            }
            default -> compareStrings(a.toString(), b.toString());
        };
    }

    private static String stringOf(BsonValue v) {
        return v.isString() ? v.asString().getValue() : v.asSymbol().getSymbol();
    }

    /** Strings compare by their UTF-8 bytes, which is code-point order. */
    private static int compareStrings(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; ) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(i);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int compareNumbers(BsonValue a, BsonValue b) {
        if (a.isDecimal128() || b.isDecimal128()) {
            return toBigDecimal(a).compareTo(toBigDecimal(b));
        }
        if (a.isDouble() || b.isDouble()) {
            double da = a.asNumber().doubleValue();
            double db = b.asNumber().doubleValue();
            if (Double.isNaN(da) || Double.isNaN(db)) {
                return Boolean.compare(!Double.isNaN(da), !Double.isNaN(db)); // NaN sorts before every number
            }
            if (a.isDouble() && b.isDouble()) {
                return Double.compare(da == 0.0 ? 0.0 : da, db == 0.0 ? 0.0 : db);
            }
            return toBigDecimal(a).compareTo(toBigDecimal(b));
        }
        return Long.compare(a.asNumber().longValue(), b.asNumber().longValue());
    }

    private static BigDecimal toBigDecimal(BsonValue v) {
        if (v.isDecimal128()) {
            Decimal128 d = v.asDecimal128().getValue();
            return d.isNaN() || d.isInfinite() ? BigDecimal.valueOf(d.isNegative() ? -Double.MAX_VALUE : Double.MAX_VALUE) : d.bigDecimalValue();
        }
        if (v.isDouble()) {
            double d = v.asDouble().getValue();
            if (Double.isInfinite(d)) {
                return BigDecimal.valueOf(d > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE).multiply(BigDecimal.TEN);
            }
            return new BigDecimal(d);
        }
        return BigDecimal.valueOf(v.asNumber().longValue());
    }

    private int compareDocuments(BsonDocument a, BsonDocument b) {
        Iterator<Map.Entry<String, BsonValue>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, BsonValue>> ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<String, BsonValue> ea = ia.next();
            Map.Entry<String, BsonValue> eb = ib.next();
            int c = Integer.compare(rank(ea.getValue().getBsonType()), rank(eb.getValue().getBsonType()));
            if (c == 0) {
                c = compareStrings(ea.getKey(), eb.getKey());
            }
            if (c == 0) {
                c = compare(ea.getValue(), eb.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    private int compareArrays(BsonArray a, BsonArray b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareBinary(BsonValue a, BsonValue b) {
        byte[] da = a.asBinary().getData();
        byte[] db = b.asBinary().getData();
        if (da.length != db.length) {
            return Integer.compare(da.length, db.length);
        }
        int c = Byte.compare(a.asBinary().getType(), b.asBinary().getType());
        return c != 0 ? c : java.util.Arrays.compareUnsigned(da, db);
    }
}
