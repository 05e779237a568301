package io.shardstore.protocol;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.bson.BsonBoolean;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * The fields each CRUD command honours, one table for the shard node and the router, so that no option is accepted
 * and silently ignored on either (issue 13). A request is checked before it runs, as mongod's and mongos's IDL parsers
 * check it: a field the command does not know is refused with 40415 ("BSON field 'find.foo' is an unknown field.",
 * what MongoDB 7.0 answers); a field MongoDB 7.0 knows but this server does not do ({@link Syntax#unsupported}) is
 * refused with NotImplemented (238) naming it, unless its value asks for nothing (false, null, {}). The fields of each
 * statement of a write batch ({@code updates}, {@code deletes}) are checked alike. A collation is accepted only when
 * it is the simple one: every comparison here is binary, and a collation read as absent would, for instance, make a
 * case-insensitive delete delete nothing.
 */
public final class CommandSyntax {

    /**
     * The fields of one statement of a write batch: {@code fields} honoured, {@code ignored} accepted with no effect
     * here (each with the reason), {@code unsupported} refused; {@code accepted} the first two together.
     */
    public record Statement(Set<String> fields, Map<String, String> ignored, Set<String> unsupported,
                            Set<String> accepted) {
        public Statement(Set<String> fields, Map<String, String> ignored, Set<String> unsupported) {
            this(fields, ignored, unsupported, union(fields, ignored.keySet()));
        }
    }

    /**
     * One command's fields: {@code fields} honoured (each has an effect, shown by {@code DeclaredSyntaxTest}),
     * {@code ignored} accepted with no effect here and the reason (e.g. {@code hint}: no query planner to steer),
     * {@code unsupported} refused, {@code statements} by batch field; {@code accepted} fields and ignored together.
     */
    public record Syntax(String command, Set<String> fields, Map<String, String> ignored, Set<String> unsupported,
                         Map<String, Statement> statements, Set<String> accepted) {
        public Syntax(String command, Set<String> fields, Map<String, String> ignored, Set<String> unsupported,
                      Map<String, Statement> statements) {
            this(command, fields, ignored, unsupported, statements, union(fields, ignored.keySet()));
        }
    }

    /** Every field taken (honoured or ignored), built once per declaration: it is read for every request. */
    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static final String NO_PLANNER = "no query planner to steer: results are the same";
    private static final String NO_VALIDATORS = "no collection has a validator (they are refused at create)";
    private static final String IN_MEMORY = "every stage runs in memory; there is no spilling to enable";

    /** Why a request is refused: MongoDB's code, codeName and message. */
    public record Refusal(int code, String codeName, String message) {
    }

    /**
     * Arguments every command takes (mongod's generic arguments): sessions, transactions' fields, read and write
     * concern, time limits, API versioning, gossiped cluster times, and the routing fields a router sends.
     */
    public static final Set<String> GENERIC = Set.of("$db", "lsid", "txnNumber", "autocommit", "startTransaction",
        "stmtId", "stmtIds", "$readPreference", "$clusterTime", "readConcern", "writeConcern", "maxTimeMS", "comment",
        "apiVersion", "apiStrict", "apiDeprecationErrors", "$client", "$configServerState", "$audit", "$configTime",
        "$topologyTime", "shardVersion", "databaseVersion", "mayBypassWriteBlocking", "clientOperationKey",
        "$oplogQueryData", "$replData", "$gleStats", "allowImplicitCollectionCreation", "maxTimeMSOpOnly",
        "usesDefaultMaxTimeMS");

    private static final Map<String, Syntax> TABLE = new TreeMap<>();

    static {
        add(new Syntax("find", Set.of("filter", "sort", "projection", "skip", "limit", "batchSize", "singleBatch",
            "tailable", "awaitData", "collation", "let"),
            Map.of("hint", NO_PLANNER, "allowDiskUse", IN_MEMORY, "noCursorTimeout", "cursors here do not time out",
                "allowPartialResults", "for a router; a node has all of its data", "oplogReplay", "ignored by mongod since 4.4 too",
                "readOnce", "a storage-cache hint"),
            Set.of("returnKey", "showRecordId", "min", "max", "term"), Map.of()));
        add(new Syntax("aggregate", Set.of("pipeline", "cursor", "collation", "let"),
            Map.of("hint", NO_PLANNER, "allowDiskUse", IN_MEMORY, "bypassDocumentValidation", NO_VALIDATORS),
            Set.of("explain"), Map.of()));
        add(new Syntax("count", Set.of("query", "limit", "skip", "collation"),
            Map.of("hint", NO_PLANNER, "fields", "unused by mongod too"), Set.of(), Map.of()));
        add(new Syntax("distinct", Set.of("key", "query", "collation"), Map.of("hint", NO_PLANNER), Set.of(), Map.of()));
        add(new Syntax("insert", Set.of("documents", "ordered"), Map.of("bypassDocumentValidation", NO_VALIDATORS), Set.of(), Map.of()));
        add(new Syntax("update", Set.of("updates", "ordered", "let"), Map.of("bypassDocumentValidation", NO_VALIDATORS), Set.of(),
            Map.of("updates", new Statement(Set.of("q", "u", "upsert", "multi", "arrayFilters", "collation", "c", "sampleId"),
                Map.of("hint", NO_PLANNER), Set.of()))));
        add(new Syntax("delete", Set.of("deletes", "ordered", "let"), Map.of(), Set.of(),
            Map.of("deletes", new Statement(Set.of("q", "limit", "collation"), Map.of("hint", NO_PLANNER), Set.of()))));
        // create: plain collections and views; validation, time series, clustered and capped collections are not
        // done here.
        add(new Syntax("create", Set.of("collation", "viewOn", "pipeline"), Map.of(),
            Set.of("capped", "size", "max", "autoIndexId", "flags", "validator", "validationLevel",
                "validationAction", "timeseries", "clusteredIndex", "changeStreamPreAndPostImages", "expireAfterSeconds",
                "idIndex", "storageEngine", "indexOptionDefaults", "encryptedFields", "recordPreImages"), Map.of()));
        // createIndexes: ascending, descending and hashed keys, unique, sparse and TTL; no partial, text, geo or
        // wildcard indexes (their key types are refused by the node's createIndexes).
        add(new Syntax("createIndexes", Set.of("indexes"),
            Map.of("commitQuorum", "an index is built at once, as one catalog change replicated like any other: there is no build to vote on"),
            Set.of(), Map.of("indexes", new Statement(Set.of("key", "name", "unique", "sparse", "collation", "expireAfterSeconds"),
                Map.of("background", "ignored by mongod since 4.2 too",
                    "hidden", "no query planner picks indexes here, so every index is as hidden from reads as a hidden one; a unique one still constrains writes, as mongod's does",
                    "v", "the index format version: one format here",
                    "ns", "a legacy field mongod ignores too",
                    "storageEngine", "one storage engine: nothing to configure"),
                Set.of("partialFilterExpression", "weights", "default_language", "language_override",
                    "textIndexVersion", "2dsphereIndexVersion", "bits", "min", "max", "bucketSize", "wildcardProjection",
                    "prepareUnique", "clustered")))));
        // Catalog reads and drops (mongod 7.0's IDL fields; every one strict there too).
        String noAuth = "no access control here: every name is authorized";
        String oneBatch = "every entry comes in the first batch (a catalog listing is small); batchSize is a size hint";
        add(new Syntax("listCollections", Set.of("filter", "nameOnly"), Map.of("cursor", oneBatch, "authorizedCollections", noAuth,
            "includePendingDrops", "no two-phase drops here: a dropped collection is gone at once"), Set.of(), Map.of()));
        add(new Syntax("listIndexes", Set.of(), Map.of("cursor", oneBatch),
            Set.of("includeBuildUUIDs", "includeIndexBuildInfo"), Map.of()));
        add(new Syntax("listDatabases", Set.of("filter", "nameOnly"), Map.of("authorizedDatabases", noAuth), Set.of(), Map.of()));
        add(new Syntax("dropIndexes", Set.of("index"), Map.of(), Set.of("collectionUUID"), Map.of()));
        add(new Syntax("drop", Set.of(), Map.of(), Set.of("collectionUUID"), Map.of()));
        add(new Syntax("dropDatabase", Set.of(), Map.of(), Set.of(), Map.of()));
        add(new Syntax("dbStats", Set.of("scale"), Map.of(), Set.of("freeStorage"), Map.of()));
        add(new Syntax("killCursors", Set.of("cursors"), Map.of(), Set.of(), Map.of()));
        add(new Syntax("renameCollection", Set.of("to", "dropTarget"), Map.of("stayTemp", "no temporary collections here"),
            Set.of("collectionUUID"), Map.of()));
        // collMod: a view's definition; no collection option here can change (no validators, hidden or TTL indexes).
        add(new Syntax("collMod", Set.of("viewOn", "pipeline"), Map.of(),
            Set.of("index", "validator", "validationLevel", "validationAction", "expireAfterSeconds", "timeseries",
                "changeStreamPreAndPostImages", "cappedSize", "cappedMax", "recordPreImages", "clusteredIndex", "dryRun"),
            Map.of()));
        add(new Syntax("findAndModify", Set.of("query", "sort", "remove", "update", "new", "fields", "upsert", "arrayFilters",
            "collation", "let", "sampleId"), Map.of("hint", NO_PLANNER, "bypassDocumentValidation", NO_VALIDATORS), Set.of(), Map.of()));
    }

    private CommandSyntax() {
    }

    private static void add(Syntax syntax) {
        TABLE.put(syntax.command(), syntax);
    }

    /** The declared syntax of a command (findandmodify is findAndModify), or null for commands not in the table. */
    public static Syntax of(String command) {
        return TABLE.get(command.equals("findandmodify") ? "findAndModify" : command);
    }

    /** Every declared command, by name (for the compatibility table). */
    public static Collection<Syntax> all() {
        return TABLE.values();
    }

    /**
     * Checks one field of {@code path} (the command's name, or "update.updates" for a statement): null when it is
     * fine, else the refusal.
     */
    public static Refusal checkField(String path, String name, Object value, Set<String> known, Set<String> unsupported) {
        if (unsupported.contains(name)) {
            if (asksForNothing(value)) {
                return null;
            }
            return new Refusal(ErrorCode.NotImplemented.code(), ErrorCode.NotImplemented.codeName(),
                "BSON field '" + path + "." + name + "' is not supported by this server");
        }
        if (!known.contains(name)) {
            if (path.equals("createIndexes.indexes")) {
                return new Refusal(197, "InvalidIndexSpecificationOption", "The field '" + name
                    + "' is not valid for an index specification.");
            }
            return new Refusal(40415, "Location40415", "BSON field '" + path + "." + name + "' is an unknown field.");
        }
        if (name.equals("collation")) {
            return collation(path, value);
        }
        return null;
    }

    /** The top-level fields of a command: its name (first) and generic arguments pass; the rest by the table. */
    public static Refusal checkTopLevel(Syntax syntax, String name, Object value) {
        if (name.equals(syntax.command()) || name.equalsIgnoreCase(syntax.command()) || GENERIC.contains(name)) {
            return null;
        }
        return checkField(syntax.command(), name, value, syntax.accepted(), syntax.unsupported());
    }

    /** Only the simple collation: {@code {locale: "simple"}}, or an empty document (no collation). */
    public static Refusal collation(String path, Object value) {
        if (!(value instanceof Map<?, ?> collation)) {
            return new Refusal(ErrorCode.TypeMismatch.code(), ErrorCode.TypeMismatch.codeName(),
                "BSON field '" + path + ".collation' is the wrong type, expected type 'object'");
        }
        if (collation.isEmpty() || collation.size() == 1 && "simple".equals(text(collation.get("locale")))) {
            return null;
        }
        return new Refusal(ErrorCode.NotImplemented.code(), ErrorCode.NotImplemented.codeName(),
            "collation " + collation + " is not supported by this server: strings compare by their binary value only"
                + " (collation {locale: \"simple\"})");
    }

    private static String text(Object value) {
        return value instanceof BsonString s ? s.getValue() : value instanceof String s ? s : null;
    }

    private static boolean asksForNothing(Object value) {
        return value == null || value instanceof BsonNull || Boolean.FALSE.equals(value) || BsonBoolean.FALSE.equals(value)
            || value instanceof Map<?, ?> m && m.isEmpty() || value instanceof List<?> l && l.isEmpty()
            || value instanceof Number n && n.doubleValue() == 0 || value instanceof org.bson.BsonNumber b && b.doubleValue() == 0;
    }
}
