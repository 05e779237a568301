package io.shardstore.bench.ycsb;

import java.util.concurrent.ThreadLocalRandom;

import org.bson.Document;

/**
 * Builds records: {@code _id} (the shard key, see {@link Keys}), {@code n} (a random int the scatter-gather
 * query sorts on: not the shard key, so every shard must answer) and {@code field0..} strings of
 * {@code fieldLength} random letters, as YCSB's usertable.
 */
public record Records(int fieldCount, int fieldLength) {

    public Document record(long recordNumber) {
        Document d = new Document("_id", Keys.idOf(recordNumber)).append("n", ThreadLocalRandom.current().nextInt());
        for (int i = 0; i < fieldCount; i++) {
            d.append(field(i), value());
        }
        return d;
    }

    public String randomField() {
        return field(ThreadLocalRandom.current().nextInt(fieldCount));
    }

    public static String field(int i) {
        return "field" + i;
    }

    public String value() {
        char[] c = new char[fieldLength];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }
}
