package io.shardstore.node.storage;

import java.util.List;
import java.util.function.Consumer;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Describes the whole data set as journal records: each collection's create, its indexes, its documents; then a
 * member's recovered oplog entries.
 */
final class Snapshot {

    private Snapshot() {
    }

    @SuppressWarnings("unchecked")
    static void capture(StorageEngine engine, Consumer<Document> sink) {
        Document dbs = engine.run(engine.systemChannel(), "admin", "listDatabases", new Document("listDatabases", 1));
        for (Document dbInfo : (List<Document>) dbs.get("databases")) {
            String db = (String) dbInfo.get("name");
            for (Document coll : firstBatch(engine.run(engine.systemChannel(), db, "listCollections", new Document("listCollections", 1)))) {
                String name = (String) coll.get("name");
                Document create = new Document("create", name);
                Document options = (Document) coll.get("options");
                if (options != null) {
                    create.putAll(options);
                }
                sink.accept(JournalRecords.command(db, create));
                for (Document index : firstBatch(engine.run(engine.systemChannel(), db, "listIndexes", new Document("listIndexes", name)))) {
                    if ("_id_".equals(index.get("name"))) {
                        continue;
                    }
                    Document spec = new Document(index);
                    spec.remove("v");
                    spec.remove("ns");
                    sink.accept(JournalRecords.command(db, new Document("createIndexes", name).append("indexes", List.of(spec))));
                }
                MongoCollection<?> collection = engine.backend().resolveDatabase(db).resolveCollection(name, false);
                if (collection != null) {
                    for (Document doc : collection.handleQuery(new QueryParameters(new Document(), 0, 0))) {
                        sink.accept(JournalRecords.put(db + "." + name, doc));
                    }
                }
            }
        }
        for (ViewCatalog.Create view : engine.views().creates()) {
            sink.accept(JournalRecords.command(view.db(), view.command()));
        }
        for (Document entry : engine.recoveredOplog().entries()) {
            sink.accept(JournalRecords.oplogEntry(entry));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Document> firstBatch(Document cursorReply) {
        return (List<Document>) ((Document) cursorReply.get("cursor")).get("firstBatch");
    }
}
