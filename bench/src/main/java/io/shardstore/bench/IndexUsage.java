package io.shardstore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

import io.shardstore.node.NodeOptions;
import io.shardstore.node.ShardNode;

/**
 * Does the engine use an index for an equality query? Times point lookups on a field with a unique index,
 * with a non-unique index, and with none, against {@code _id}, all in one run (ratios, not absolute times).
 * Run: java -cp ... io.shardstore.bench.IndexUsage [documents] [lookups]
 */
public final class IndexUsage {

    public static void main(String[] args) throws Exception {
        int docs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        try (ShardNode node = ShardNode.start(NodeOptions.inMemory(0));
             MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + node.port())) {
            MongoCollection<Document> c = client.getDatabase("bench").getCollection("idx");
            c.drop();
            c.createIndex(Indexes.ascending("u"), new IndexOptions().unique(true));
            c.createIndex(Indexes.ascending("n"));
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < docs; i++) {
                batch.add(new Document("_id", i).append("u", i).append("n", i).append("x", i));
                if (batch.size() == 10_000) {
                    c.insertMany(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                c.insertMany(batch);
            }
            for (String field : List.of("_id", "u", "n", "x", "_id", "u", "n", "x")) { // second round is the one reported
                Random random = new Random(42);
                long start = System.nanoTime();
                for (int i = 0; i < lookups; i++) {
                    if (c.find(Filters.eq(field, random.nextInt(docs))).first() == null) {
                        throw new IllegalStateException("lookup missed");
                    }
                }
                double micros = (System.nanoTime() - start) / 1000.0 / lookups;
                System.out.printf("%-4s %s: %,10.1f us per lookup%n", field, describe(field), micros);
            }
        }
    }

    private static String describe(String field) {
        return switch (field) {
            case "_id" -> "(_id index)      ";
            case "u" -> "(unique index)   ";
            case "n" -> "(non-unique idx) ";
            default -> "(no index)       ";
        };
    }
}
