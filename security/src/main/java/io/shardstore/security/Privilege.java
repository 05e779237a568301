package io.shardstore.security;

/**
 * What a command needs, in the coarse classes MongoDB's built-in roles are made of. Each command is mapped to one in
 * {@link CommandPrivileges}; a role grants some of them on one database, on every database, or on the cluster
 * ({@link BuiltinRole}).
 */
public enum Privilege {
    /** No authentication needed: hello, ping, buildInfo, the SASL conversation, logout. */
    OPEN(Scope.NONE),
    /** Any authenticated user (its own sessions and cursors, listCommands). */
    AUTHENTICATED(Scope.NONE),
    /** Reading documents: find, count, distinct, aggregate, getMore. */
    FIND(Scope.DATABASE),
    /** Listing what a database holds, not its documents: listCollections, listIndexes. */
    METADATA(Scope.DATABASE),
    /** Statistics of a database or collection: collStats, dbStats, dataSize. */
    STATS(Scope.DATABASE),
    /** Writing documents: insert, update, delete, findAndModify, an aggregate's $out / $merge. */
    WRITE(Scope.DATABASE),
    /** Creating and dropping collections and indexes, renaming within a database. */
    COLLECTION_DDL(Scope.DATABASE),
    /** collMod, validate, compact, profile. */
    DB_ADMIN(Scope.DATABASE),
    /** dropDatabase. */
    DROP_DATABASE(Scope.DATABASE),
    /** createUser, updateUser, dropUser, grantRolesToUser, revokeRolesFromUser, usersInfo of other users. */
    USER_ADMIN(Scope.DATABASE),
    /** Every database's name (listDatabases without it lists only the databases the user has a role on). */
    LIST_DATABASES(Scope.CLUSTER),
    /** serverStatus, replSetGetStatus, listShards, getParameter, getCmdLineOpts, top, hostInfo, getLog, currentOp. */
    CLUSTER_MONITOR(Scope.CLUSTER),
    /** addShard, shardCollection, split, moveChunk, the balancer, replSetReconfig / StepDown, setDefaultRWConcern. */
    CLUSTER_MANAGER(Scope.CLUSTER),
    /** shutdown, killOp, killAllSessions, setParameter, fsync, logRotate. */
    HOST_MANAGER(Scope.CLUSTER),
    /** What members say to each other (heartbeats, votes, _shardsvr / _configsvr commands): __system only. */
    INTERNAL(Scope.CLUSTER);

    /** Whether the privilege is on a database (the command's) or on the cluster. */
    public enum Scope { NONE, DATABASE, CLUSTER }

    private final Scope scope;

    Privilege(Scope scope) {
        this.scope = scope;
    }

    public Scope scope() {
        return scope;
    }
}
