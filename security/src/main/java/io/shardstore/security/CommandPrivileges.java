package io.shardstore.security;

import java.util.HashMap;
import java.util.Map;

/**
 * The privilege each command needs (MongoDB's action for it, in the classes of {@link Privilege}). A command not in
 * the table is for root (and __system) only: a new command is closed until it is placed here, never open by mistake;
 * a test checks that every command the router and the nodes register is placed.
 */
public final class CommandPrivileges {
    private static final Map<String, Privilege> TABLE = new HashMap<>();

    private static void put(Privilege p, String... names) {
        for (String n : names) {
            TABLE.put(n, p);
        }
    }

    static {
        put(Privilege.OPEN, "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "saslStart", "saslContinue",
            "authenticate", "logout", "connectionStatus", "whatsmyuri", "getnonce", "endSessions");
        put(Privilege.AUTHENTICATED, "listCommands", "startSession", "refreshSessions", "killSessions", "listDatabases",
            "usersInfo", "getLastError", "lockInfo");
        put(Privilege.FIND, "find", "count", "distinct", "aggregate", "getMore", "killCursors", "dbHash", "dbhash", "mapReduce",
            "explain");
        put(Privilege.METADATA, "listCollections", "listIndexes", "listSearchIndexes");
        put(Privilege.STATS, "collStats", "dbStats", "dataSize");
        put(Privilege.WRITE, "insert", "update", "delete", "findAndModify", "findandmodify");
        put(Privilege.COLLECTION_DDL, "create", "drop", "createIndexes", "dropIndexes", "deleteIndexes", "renameCollection",
            "convertToCapped");
        put(Privilege.DB_ADMIN, "collMod", "compact", "validate", "profile", "reIndex");
        put(Privilege.DROP_DATABASE, "dropDatabase");
        put(Privilege.USER_ADMIN, "createUser", "updateUser", "dropUser", "dropAllUsersFromDatabase", "grantRolesToUser",
            "revokeRolesFromUser", "createRole", "dropRole", "rolesInfo");
        put(Privilege.CLUSTER_MONITOR, "serverStatus", "top", "hostInfo", "getCmdLineOpts", "getLog", "getParameter",
            "replSetGetStatus", "replSetGetConfig", "listShards", "getShardMap", "getDefaultRWConcern", "balancerStatus",
            "connPoolStats", "shardingState", "currentOp", "getShardVersion", "isdbgrid", "netstat", "features");
        put(Privilege.CLUSTER_MANAGER, "addShard", "removeShard", "enableSharding", "shardCollection", "split", "splitChunk",
            "moveChunk", "moveRange", "mergeChunks", "balancerStart", "balancerStop", "setDefaultRWConcern", "replSetReconfig",
            "replSetStepDown", "replSetFreeze", "replSetStepUp", "replSetInitiate", "flushRouterConfig",
            "refineCollectionShardKey", "configureCollectionBalancing", "setFeatureCompatibilityVersion", "addShardToZone",
            "removeShardFromZone", "updateZoneKeyRange", "clearJumboFlag", "cleanupOrphaned", "setShardVersion",
            "analyzeShardKey", "configureQueryAnalyzer", "shardKeyAdvisor", "reshardCollection", "abortReshardCollection");
        put(Privilege.HOST_MANAGER, "shutdown", "killOp", "killAllSessions", "killAllSessionsByPattern", "setParameter", "fsync",
            "fsyncUnlock", "logRotate", "configureFailPoint");
        put(Privilege.INTERNAL, "replSetHeartbeat", "replSetRequestVotes", "replSetUpdatePosition");
    }

    private CommandPrivileges() {
    }

    /**
     * What {@code command} needs; null when it is not in the table (root only). Commands named with a leading
     * underscore are between members ({@link Privilege#INTERNAL}).
     */
    public static Privilege of(String command) {
        Privilege p = TABLE.get(command);
        if (p == null && command.startsWith("_")) {
            return Privilege.INTERNAL;
        }
        return p;
    }
}
