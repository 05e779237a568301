package io.shardstore.security;

import java.util.List;

/**
 * Whether the users a connection is authenticated as may run a command, and MongoDB's refusal when not: Unauthorized
 * (13), "command X requires authentication" for an anonymous client, "not authorized on DB to execute command
 * {...}" otherwise. An aggregate ending in $out / $merge needs the write privilege too; explain needs what the
 * explained command needs; usersInfo of one's own user needs nothing more than being that user.
 */
public final class Authorizer {
    private Authorizer() {
    }

    /** Null when allowed, else the message of the Unauthorized error. */
    public static String check(List<UserRecord> users, String command, String db, boolean writesOutput, String explained,
                               String usersInfoSelf) {
        Privilege needed = CommandPrivileges.of(command);
        if (needed == Privilege.OPEN) {
            return null;
        }
        if (users.isEmpty()) {
            return "command " + command + " requires authentication";
        }
        boolean allowed;
        if (command.equals("explain") && explained != null) {
            allowed = check(users, explained, db, writesOutput, null, null) == null;
        } else if (command.equals("usersInfo") && usersInfoSelf != null && users.stream().anyMatch(u -> u.qualifiedName().equals(usersInfoSelf))) {
            allowed = true;
        } else if (command.equals("usersInfo")) {
            allowed = has(users, Privilege.USER_ADMIN, db);
        } else if (needed == null) {
            allowed = users.stream().anyMatch(u -> u.roles().stream().anyMatch(r -> {
                BuiltinRole role = BuiltinRole.find(r.role(), r.db());
                return role == BuiltinRole.ROOT || role == BuiltinRole.SYSTEM;
            }));
        } else {
            allowed = has(users, needed, db) && (!writesOutput || has(users, Privilege.WRITE, db));
        }
        return allowed ? null : "not authorized on " + db + " to execute command { " + command + ": ... }";
    }

    /** Whether any of the users has {@code privilege} on {@code db} (or the cluster) through a built-in role. */
    public static boolean has(List<UserRecord> users, Privilege privilege, String db) {
        if (privilege.scope() == Privilege.Scope.NONE) {
            return !users.isEmpty();
        }
        for (UserRecord u : users) {
            for (UserRecord.RoleName r : u.roles()) {
                BuiltinRole role = BuiltinRole.find(r.role(), r.db());
                if (role != null && role.allows(privilege, r.db(), db)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether listDatabases may show {@code db} to these users: all of them with the listDatabases privilege, else
     * those a role is granted in (MongoDB's authorizedDatabases).
     */
    public static boolean mayList(List<UserRecord> users, String db) {
        if (has(users, Privilege.LIST_DATABASES, "admin")) {
            return true;
        }
        return users.stream().anyMatch(u -> u.roles().stream().anyMatch(r -> r.db().equals(db) && BuiltinRole.find(r.role(), r.db()) != null));
    }
}
