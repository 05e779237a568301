package io.shardstore.node.storage;

import java.util.List;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * mongo-java-server's in-memory engine with our effect recorder in the place of its oplog, our databases
 * (with non-unique indexes) and cursors the node opens itself.
 */
final class NodeBackend extends MemoryBackend {
    private Oplog recorder;
    private final ViewCatalog views = new ViewCatalog();

    ViewCatalog views() {
        return views;
    }

    /** Every command the engine runs comes here (clients', recovery's, oplog application's): views are answered first. */
    @Override
    public Document handleCommand(io.netty.channel.Channel channel, String databaseName, String command, Document query) {
        Document viewReply = views.handle(this, databaseName, command, query);
        return viewReply != null ? viewReply : super.handleCommand(channel, databaseName, command, query);
    }

    void recordEffectsWith(Oplog recorder) {
        this.recorder = recorder;
        enableOplog();
    }

    @Override
    public NodeDatabase openOrCreateDatabase(String databaseName) {
        return new NodeDatabase(databaseName, getCursorRegistry());
    }

    /** Registers a cursor over {@code documents} where the engine's getMore and killCursors look for cursors. */
    long openCursor(List<Document> documents) {
        CursorRegistry registry = getCursorRegistry();
        ListCursor cursor = new ListCursor(registry.generateCursorId(), documents);
        registry.add(cursor);
        return cursor.getId();
    }

    @Override
    protected Oplog createOplog() {
        return recorder;
    }
}
