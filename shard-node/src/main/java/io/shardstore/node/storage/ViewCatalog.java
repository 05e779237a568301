package io.shardstore.node.storage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.shardstore.protocol.ErrorCode;

/**
 * The node's views: per namespace, the collection (or view) it is defined on and its pipeline. The engine has no
 * views, so the catalog commands that make, change and remove them ({@code create} with {@code viewOn},
 * {@code collMod}, {@code drop}, {@code dropDatabase}, {@code renameCollection}) are answered here before the engine
 * sees them; since they arrive through the same entry as every catalog command, a view is journaled, replayed,
 * replicated (oplog {@code c} entries) and applied by secondaries like a collection's {@code create}.
 * <p>Changed on the storage thread only; read from any thread (the dispatcher asks whether a namespace is a view).
 */
public final class ViewCatalog {
    /** mongod's limit on views defined on views. */
    static final int MAX_DEPTH = 20;

    /** Per "db.view": {@code {viewOn, pipeline}}. */
    private final Map<String, Document> views = new ConcurrentSkipListMap<>();

    /** A view resolved down to a collection: that collection's name and the pipelines of every view on the way. */
    public record Resolved(String view, String collection, List<Object> pipeline) {
    }

    public boolean isView(String db, String name) {
        return views.containsKey(db + "." + name);
    }

    /** The view {@code db.name} down to its collection, or null when {@code name} is not a view. */
    public Resolved resolve(String db, String name) {
        if (!isView(db, name)) {
            return null;
        }
        List<Object> pipeline = new ArrayList<>();
        String current = name;
        for (int depth = 0; ; depth++) {
            Document definition = views.get(db + "." + current);
            if (definition == null) {
                return new Resolved(name, current, pipeline);
            }
            if (depth >= MAX_DEPTH) {
                throw error(ErrorCode.ViewDepthLimitExceeded, "View depth too deep or view cycle detected; maximum depth is "
                    + MAX_DEPTH);
            }
            pipeline.addAll(0, stages(definition));
            current = (String) definition.get("viewOn");
        }
    }

    /** listCollections entries of the views of {@code db}, as mongod lists them. */
    public List<Document> list(String db) {
        List<Document> out = new ArrayList<>();
        views.forEach((ns, definition) -> {
            if (ns.startsWith(db + ".")) {
                out.add(new Document("name", ns.substring(db.length() + 1)).append("type", "view")
                    .append("options", new Document("viewOn", definition.get("viewOn")).append("pipeline", stages(definition)))
                    .append("info", new Document("readOnly", true)));
            }
        });
        return out;
    }

    /** The databases that hold views (a database with views only is still listed, as on mongod). */
    public Set<String> databases() {
        Set<String> out = new HashSet<>();
        views.keySet().forEach(ns -> out.add(ns.substring(0, ns.indexOf('.'))));
        return out;
    }

    /** A view's {@code create} command and the database it runs on. */
    record Create(String db, Document command) {
    }

    /** The {@code create} commands that make every view again (checkpoints). */
    List<Create> creates() {
        List<Create> out = new ArrayList<>();
        views.forEach((ns, definition) -> out.add(new Create(ns.substring(0, ns.indexOf('.')),
            new Document("create", ns.substring(ns.indexOf('.') + 1)).append("viewOn", definition.get("viewOn"))
                .append("pipeline", stages(definition)))));
        return out;
    }

    /**
     * Answers the catalog commands about views; null when the engine answers (a plain {@code create}, a {@code drop}
     * of a collection). Storage thread only.
     */
    Document handle(NodeBackend backend, String db, String command, Document body) {
        return switch (command) {
            case "create" -> create(backend, db, body);
            case "drop" -> {
                String ns = db + "." + body.get("drop");
                yield views.remove(ns) == null ? null : new Document("ns", ns).append("ok", 1.0);
            }
            case "dropDatabase" -> {
                views.keySet().removeIf(ns -> ns.startsWith(db + "."));
                yield null;
            }
            case "collMod" -> collMod(backend, db, body);
            case "renameCollection" -> {
                if (views.containsKey(String.valueOf(body.get("renameCollection")))) {
                    throw error(ErrorCode.CommandNotSupportedOnView, "renameCollection not supported for views: "
                        + body.get("renameCollection"));
                }
                if (views.containsKey(String.valueOf(body.get("to")))) {
                    throw error(ErrorCode.NamespaceExists, "a view already exists with that name: " + body.get("to"));
                }
                yield null;
            }
            default -> null;
        };
    }

    private Document create(NodeBackend backend, String db, Document body) {
        String name = String.valueOf(body.get("create"));
        String ns = db + "." + name;
        if (!body.containsKey("viewOn")) {
            if (body.containsKey("pipeline")) {
                throw error(ErrorCode.BadValue, "'pipeline' requires 'viewOn' to also be specified");
            }
            if (views.containsKey(ns)) {
                throw error(ErrorCode.NamespaceExists, "Namespace " + ns + " already exists");
            }
            return null;
        }
        Document definition = definition("create", db, name, body.get("viewOn"), body.containsKey("pipeline") ? body.get("pipeline") : List.of());
        if (views.containsKey(ns) || collectionExists(backend, db, name)) {
            throw error(ErrorCode.NamespaceExists, "Namespace " + ns + " already exists");
        }
        views.put(ns, definition);
        return new Document("ok", 1.0);
    }

    private Document collMod(NodeBackend backend, String db, Document body) {
        String name = String.valueOf(body.get("collMod"));
        String ns = db + "." + name;
        Document current = views.get(ns);
        boolean changesView = body.containsKey("viewOn") || body.containsKey("pipeline");
        if (current == null) {
            if (!collectionExists(backend, db, name)) {
                throw error(ErrorCode.NamespaceNotFound, "ns does not exist: " + ns);
            }
            if (changesView) {
                throw error(ErrorCode.InvalidOptions, "option not supported on a collection: "
                    + (body.containsKey("viewOn") ? "viewOn" : "pipeline"));
            }
            return new Document("ok", 1.0); // nothing else a collection has here can change
        }
        if (!changesView) {
            return new Document("ok", 1.0);
        }
        if (!body.containsKey("viewOn") || !body.containsKey("pipeline")) {
            throw error(ErrorCode.InvalidOptions, "Must specify both 'viewOn' and 'pipeline' when modifying a view and "
                + "auth is enabled"); // mongod's rule (and message) whether or not auth is enabled
        }
        views.put(ns, definition("collMod", db, name, body.get("viewOn"), body.get("pipeline")));
        return new Document("ok", 1.0);
    }

    /** Checks a definition as mongod does, then returns it. */
    private Document definition(String command, String db, String name, Object viewOn, Object pipeline) {
        if (!(viewOn instanceof String on) || on.isEmpty()) {
            throw error(ErrorCode.TypeMismatch, "BSON field '" + command + ".viewOn' is the wrong type, expected type 'string'");
        }
        if (!(pipeline instanceof List<?> stages)) {
            throw error(ErrorCode.TypeMismatch, "BSON field '" + command + ".pipeline' is the wrong type, expected type 'array'");
        }
        for (Object stage : stages) {
            if (!(stage instanceof Document d) || d.size() != 1) {
                throw error(ErrorCode.TypeMismatch, "Each element of the 'pipeline' array must be an object");
            }
            String stageName = d.keySet().iterator().next();
            if (stageName.equals("$out") || stageName.equals("$merge")) {
                throw error(ErrorCode.OptionNotSupportedOnView, stageName + " cannot be used in a view definition");
            }
        }
        // A view on itself, or on a view that leads back to it, would never resolve.
        Set<String> seen = new HashSet<>(Set.of(name));
        String next = on;
        for (int depth = 1; next != null; depth++) {
            if (!seen.add(next)) {
                throw error(ErrorCode.GraphContainsCycle, "View cycle detected: " + db + "." + name + " -> " + db + "." + next);
            }
            if (depth > MAX_DEPTH) {
                throw error(ErrorCode.ViewDepthLimitExceeded, "View depth too deep or view cycle detected; maximum depth is "
                    + MAX_DEPTH);
            }
            Document further = views.get(db + "." + next);
            next = further == null ? null : (String) further.get("viewOn");
        }
        return new Document("viewOn", on).append("pipeline", new ArrayList<>(stages));
    }

    private static boolean collectionExists(NodeBackend backend, String db, String name) {
        MongoDatabase database = backend.resolveDatabase(db);
        return database != null && database.resolveCollection(name, false) != null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> stages(Document definition) {
        return new ArrayList<>((List<Object>) definition.get("pipeline"));
    }

    private static MongoServerError error(ErrorCode code, String message) {
        return new MongoServerError(code.code(), code.codeName(), message);
    }
}
