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
    private static final java.util.Set<String> ADMIN_COLLECTION_COMMANDS = java.util.Set.of("find", "insert", "update", "delete",
        "count", "distinct", "aggregate", "findAndModify", "createIndexes", "listIndexes", "dropIndexes", "drop", "create");

    private static final String USERS = "system.users";
    static final String USERS_INSIDE = "__system.users";

    private Oplog recorder;
    private final ViewCatalog views = new ViewCatalog();

    ViewCatalog views() {
        return views;
    }

    /** Every command the engine runs comes here (clients', recovery's, oplog application's): views are answered first. */
    @Override
    public Document handleCommand(io.netty.channel.Channel channel, String databaseName, String command, Document query) {
        if ("admin".equals(databaseName) && ADMIN_COLLECTION_COMMANDS.contains(command) && query.get(command) instanceof String c
            && !c.startsWith("$cmd")) {
            // The engine answers everything on admin as an admin command (it has no admin collections); mongod keeps
            // collections there like anywhere else, admin.system.users first of all. The engine refuses writes to
            // any "system." collection, so admin.system.users lives under another name inside it (the same on every
            // member: its journal records and oplog entries carry that name).
            Document q = query;
            if (c.equals(USERS)) {
                q = new Document(query);
                q.put(command, USERS_INSIDE);
            }
            return resolveDatabase(databaseName).handleCommand(channel, command, q, this::resolveDatabase, oplog);
        }
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
