package io.shardstore.node.command.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.node.storage.JournalRecords;

/**
 * dbHash, as mongod answers it: an md5 per collection over its documents in {@code _id} order (each document's BSON
 * bytes) and an md5 of the database over the collections' hashes in name order. Members of a replica set that hold
 * the same data give the same hashes whatever order they stored the documents in, which is what MongoDB's own test
 * fixtures compare after every test, and what ours do ({@code collections: [...]} limits it to those collections).
 * {@code system.*} collections are left out, as mongod leaves out its replicated-differently ones.
 */
public final class DbHashCommand implements Command {

    @Override
    public String name() {
        return "dbHash";
    }

    @Override
    public List<String> aliases() {
        return List.of("dbhash");
    }

    @Override
    public Document run(CommandContext ctx) {
        long start = System.nanoTime();
        List<String> only = null;
        if (ctx.body().get("collections") instanceof List<?> names) {
            only = new ArrayList<>();
            for (Object name : names) {
                if (!(name instanceof String s)) {
                    throw Errors.typeMismatch("collections must be an array of strings, found " + Errors.typeName(name));
                }
                only.add(s);
            }
        } else if (ctx.body().containsKey("collections")) {
            throw Errors.typeMismatch("collections must be an array, found " + Errors.typeName(ctx.body().get("collections")));
        }
        TreeMap<String, String> hashes = new TreeMap<>();
        Document listed = ctx.node().storage().run(ctx.channel(), ctx.db(), "listCollections", new Document("listCollections", 1));
        @SuppressWarnings("unchecked")
        List<Document> infos = (List<Document>) ((Document) listed.get("cursor")).get("firstBatch");
        for (Document info : infos) {
            String name = (String) info.get("name");
            if (name.startsWith("system.") || (only != null && !only.contains(name))) {
                continue;
            }
            MongoCollection<?> collection = Namespaces.collection(ctx, ctx.db(), name);
            if (collection != null) {
                hashes.put(name, hashOf(collection));
            }
        }
        MessageDigest all = md5();
        hashes.values().forEach(h -> all.update(h.getBytes(StandardCharsets.US_ASCII)));
        return new Document("host", ctx.node().options().bindIp() + ":" + ctx.channel().localAddress().toString().replaceAll(".*:", "")).append("collections", new Document(hashes))
            .append("capped", List.of()).append("md5", HexFormat.of().formatHex(all.digest()))
            .append("timeMillis", (System.nanoTime() - start) / 1_000_000).append("ok", 1.0);
    }

    private static String hashOf(MongoCollection<?> collection) {
        List<Document> docs = new ArrayList<>();
        collection.handleQuery(new QueryParameters(new Document(), 0, 0)).forEach(docs::add);
        ValueComparator byId = ValueComparator.asc();
        docs.sort((a, b) -> byId.compare(a.get("_id"), b.get("_id")));
        MessageDigest md5 = md5();
        for (Document doc : docs) {
            md5.update(JournalRecords.encode(doc));
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }
}
