package io.shardstore.node.storage;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;

/** Applies one journal record to the engine during recovery. */
final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);

    private Replay() {
    }

    static void apply(StorageEngine engine, byte[] bytes) {
        Document record = JournalRecords.decode(bytes);
        String op = (String) record.get(JournalRecords.OP);
        try {
            switch (op) {
                case "put" -> {
                    String ns = (String) record.get("ns");
                    Document doc = (Document) record.get("doc");
                    Document update = new Document("q", new Document("_id", doc.get("_id"))).append("u", doc).append("upsert", true);
                    check(engine.run(engine.systemChannel(), Utils.getDatabaseNameFromFullName(ns), "update",
                        new Document("update", Utils.getCollectionNameFromFullName(ns)).append("updates", List.of(update))), record);
                }
                case "del" -> {
                    String ns = (String) record.get("ns");
                    Document delete = new Document("q", new Document("_id", record.get("id"))).append("limit", 1);
                    check(engine.run(engine.systemChannel(), Utils.getDatabaseNameFromFullName(ns), "delete",
                        new Document("delete", Utils.getCollectionNameFromFullName(ns)).append("deletes", List.of(delete))), record);
                }
                case "cmd" -> {
                    Document cmd = (Document) record.get("cmd");
                    engine.run(engine.systemChannel(), (String) record.get("db"), cmd.keySet().iterator().next(), cmd);
                }
                case "oplog" -> engine.recoveredOplog().add((Document) record.get("entry"), bytes.length);
                case "oplogTruncate" -> engine.recoveredOplog().truncateAfter(
                    ((de.bwaldvogel.mongo.bson.BsonTimestamp) record.get("after")).getValue());
                default -> log.warn("skipping journal record of unknown kind {}", op);
            }
        } catch (MongoServerException e) {
            // Replaying onto a checkpoint that already holds the effect (create of an existing collection...) is expected.
            log.debug("journal record {} replayed with: {}", record, e.getMessage());
        }
    }

    private static void check(Document reply, Document record) {
        if (reply.containsKey("writeErrors")) {
            log.warn("journal record {} could not be replayed: {}", record, reply.get("writeErrors"));
        }
    }
}
