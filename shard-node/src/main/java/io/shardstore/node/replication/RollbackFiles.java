package io.shardstore.node.replication;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.storage.JournalRecords;

/**
 * Keeps what a rollback takes away, as mongod lays it out: for each collection, this member's versions of the documents
 * it rolls back (inserted or changed by entries that never reached a majority) as concatenated BSON in
 * {@code <dbpath>/rollback/<db>.<collection>/removed.<timestamp>.bson}, for an operator to inspect (bsondump) and
 * re-apply by hand. Without --dbpath there is nowhere to keep them: they are only logged.
 */
final class RollbackFiles {
    private static final Logger log = LoggerFactory.getLogger(RollbackFiles.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.S");

    private RollbackFiles() {
    }

    /** Writes (and fsyncs) one file per namespace of {@code removed}; returns how many documents were kept. */
    static int write(Path dbPath, Map<String, List<Document>> removed) {
        int count = 0;
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        for (Map.Entry<String, List<Document>> e : removed.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            if (dbPath == null) {
                log.warn("rollback removes {} documents of {} (no --dbpath to keep them): {}", e.getValue().size(), e.getKey(), e.getValue());
                continue;
            }
            Path dir = dbPath.resolve("rollback").resolve(e.getKey());
            Path file = dir.resolve("removed." + stamp + ".bson");
            try {
                Files.createDirectories(dir);
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    for (Document doc : e.getValue()) {
                        out.write(JournalRecords.encode(doc));
                    }
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                count += e.getValue().size();
                log.warn("rollback: {} documents of {} kept in {}", e.getValue().size(), e.getKey(), file);
            } catch (IOException ex) {
                log.error("rollback: could not write {}: {}; the documents were: {}", file, ex.toString(), e.getValue());
            }
        }
        return count;
    }
}
