package io.shardstore.security;

import java.util.EnumSet;
import java.util.Set;

import static io.shardstore.security.Privilege.CLUSTER_MANAGER;
import static io.shardstore.security.Privilege.CLUSTER_MONITOR;
import static io.shardstore.security.Privilege.COLLECTION_DDL;
import static io.shardstore.security.Privilege.DB_ADMIN;
import static io.shardstore.security.Privilege.DROP_DATABASE;
import static io.shardstore.security.Privilege.FIND;
import static io.shardstore.security.Privilege.HOST_MANAGER;
import static io.shardstore.security.Privilege.INTERNAL;
import static io.shardstore.security.Privilege.LIST_DATABASES;
import static io.shardstore.security.Privilege.METADATA;
import static io.shardstore.security.Privilege.STATS;
import static io.shardstore.security.Privilege.USER_ADMIN;
import static io.shardstore.security.Privilege.WRITE;

/**
 * MongoDB's built-in roles as privileges: those granted on the database the role is granted in ({@code onDatabase}),
 * on every database but {@code local} and {@code config} ({@code onAnyDatabase}, the *AnyDatabase roles' rule), on
 * {@code config} and {@code local} ({@code onSystemDatabases}) and on the cluster. Roles of the second kind exist only
 * in {@code admin}, as in MongoDB ({@link #adminOnly}).
 */
public enum BuiltinRole {
    READ("read", false, EnumSet.of(FIND, METADATA, STATS), Set.of(), Set.of(), Set.of()),
    READ_WRITE("readWrite", false, EnumSet.of(FIND, METADATA, STATS, WRITE, COLLECTION_DDL), Set.of(), Set.of(), Set.of()),
    DB_ADMIN_ROLE("dbAdmin", false, EnumSet.of(METADATA, STATS, COLLECTION_DDL, DB_ADMIN, DROP_DATABASE), Set.of(), Set.of(), Set.of()),
    USER_ADMIN_ROLE("userAdmin", false, EnumSet.of(USER_ADMIN), Set.of(), Set.of(), Set.of()),
    DB_OWNER("dbOwner", false, EnumSet.of(FIND, METADATA, STATS, WRITE, COLLECTION_DDL, DB_ADMIN, DROP_DATABASE, USER_ADMIN), Set.of(), Set.of(),
        Set.of()),
    READ_ANY_DATABASE("readAnyDatabase", true, Set.of(), EnumSet.of(FIND, METADATA, STATS), Set.of(), EnumSet.of(LIST_DATABASES)),
    READ_WRITE_ANY_DATABASE("readWriteAnyDatabase", true, Set.of(), EnumSet.of(FIND, METADATA, STATS, WRITE, COLLECTION_DDL), Set.of(),
        EnumSet.of(LIST_DATABASES)),
    USER_ADMIN_ANY_DATABASE("userAdminAnyDatabase", true, Set.of(), EnumSet.of(USER_ADMIN), Set.of(), EnumSet.of(LIST_DATABASES)),
    DB_ADMIN_ANY_DATABASE("dbAdminAnyDatabase", true, Set.of(), EnumSet.of(METADATA, STATS, COLLECTION_DDL, DB_ADMIN, DROP_DATABASE), Set.of(),
        EnumSet.of(LIST_DATABASES)),
    CLUSTER_MONITOR_ROLE("clusterMonitor", true, Set.of(), EnumSet.of(STATS), EnumSet.of(FIND, METADATA, STATS),
        EnumSet.of(CLUSTER_MONITOR, LIST_DATABASES)),
    CLUSTER_MANAGER_ROLE("clusterManager", true, Set.of(), Set.of(), EnumSet.of(FIND, METADATA, STATS, WRITE),
        EnumSet.of(CLUSTER_MANAGER, LIST_DATABASES)),
    HOST_MANAGER_ROLE("hostManager", true, Set.of(), Set.of(), Set.of(), EnumSet.of(HOST_MANAGER)),
    CLUSTER_ADMIN("clusterAdmin", true, Set.of(), EnumSet.of(STATS, DROP_DATABASE), EnumSet.of(FIND, METADATA, STATS, WRITE, DROP_DATABASE),
        EnumSet.of(CLUSTER_MONITOR, CLUSTER_MANAGER, HOST_MANAGER, LIST_DATABASES)),
    ROOT("root", true, Set.of(), EnumSet.of(FIND, METADATA, STATS, WRITE, COLLECTION_DDL, DB_ADMIN, DROP_DATABASE, USER_ADMIN),
        EnumSet.of(FIND, METADATA, STATS, WRITE, COLLECTION_DDL, DB_ADMIN, DROP_DATABASE, USER_ADMIN),
        EnumSet.of(CLUSTER_MONITOR, CLUSTER_MANAGER, HOST_MANAGER, LIST_DATABASES)),
    SYSTEM("__system", true, Set.of(), EnumSet.allOf(Privilege.class), EnumSet.allOf(Privilege.class), EnumSet.allOf(Privilege.class));

    private final String roleName;
    private final boolean adminOnly;
    private final Set<Privilege> onDatabase;
    private final Set<Privilege> onAnyDatabase;
    private final Set<Privilege> onSystemDatabases;
    private final Set<Privilege> onCluster;

    BuiltinRole(String roleName, boolean adminOnly, Set<Privilege> onDatabase, Set<Privilege> onAnyDatabase,
                Set<Privilege> onSystemDatabases, Set<Privilege> onCluster) {
        this.roleName = roleName;
        this.adminOnly = adminOnly;
        this.onDatabase = onDatabase;
        this.onAnyDatabase = onAnyDatabase;
        this.onSystemDatabases = onSystemDatabases;
        this.onCluster = onCluster;
    }

    public String roleName() {
        return roleName;
    }

    /** Whether the role exists only in the admin database (the cluster-wide and *AnyDatabase roles). */
    public boolean adminOnly() {
        return adminOnly;
    }

    /** The built-in role {@code name} as it may be granted in {@code db}, or null (MongoDB: RoleNotFound, 31). */
    public static BuiltinRole find(String name, String db) {
        for (BuiltinRole r : values()) {
            if (r.roleName.equals(name)) {
                return r.adminOnly && !db.equals("admin") ? null : r;
            }
        }
        return null;
    }

    /** Whether this role, granted in {@code grantedIn}, gives {@code privilege} on database {@code db} (or the cluster). */
    public boolean allows(Privilege privilege, String grantedIn, String db) {
        if (this == SYSTEM) {
            return true;
        }
        return switch (privilege.scope()) {
            case NONE -> true;
            case CLUSTER -> onCluster.contains(privilege);
            case DATABASE -> {
                boolean system = db.equals("local") || db.equals("config");
                yield (!adminOnly && grantedIn.equals(db) && onDatabase.contains(privilege))
                    || (system ? onSystemDatabases.contains(privilege) : onAnyDatabase.contains(privilege));
            }
        };
    }
}
