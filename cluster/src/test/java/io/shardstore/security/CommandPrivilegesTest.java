package io.shardstore.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.shardstore.node.command.Commands;
import io.shardstore.router.command.RouterRegistry;

/**
 * The privilege table against the commands the router and the nodes register, and the built-in roles against a table
 * of what MongoDB lets each do: a role is checked on every command class, in its own database, another one, the
 * config database and the cluster.
 */
class CommandPrivilegesTest {

    /** Registered commands that are root's alone on purpose (none today): anything else must be placed. */
    private static final Set<String> ROOT_ONLY = Set.of();

    @Test
    void everyRegisteredCommandHasAPrivilege() {
        Set<String> names = new TreeSet<>(RouterRegistry.standard().names());
        names.addAll(Commands.all().names());
        List<String> unplaced = new ArrayList<>();
        for (String name : names) {
            if (CommandPrivileges.of(name) == null && !ROOT_ONLY.contains(name)) {
                unplaced.add(name);
            }
        }
        assertEquals(List.of(), unplaced, "commands without a privilege (they would be root's only)");
    }

    private static UserRecord user(String role, String db) {
        return new UserRecord("u", db, new org.bson.BsonDocument(), List.of(new UserRecord.RoleName(role, db)), new org.bson.BsonDocument());
    }

    private static boolean allowed(String role, String roleDb, String command, String db) {
        return Authorizer.check(List.of(user(role, roleDb)), command, db, false, null, null) == null;
    }

    /** role, granted in, command, on database, allowed (from MongoDB's built-in role reference). */
    private static final Object[][] TABLE = {
        {"read", "app", "find", "app", true}, {"read", "app", "listCollections", "app", true}, {"read", "app", "insert", "app", false},
        {"read", "app", "find", "other", false}, {"read", "app", "createIndexes", "app", false}, {"read", "app", "dropDatabase", "app", false},
        {"readWrite", "app", "insert", "app", true}, {"readWrite", "app", "update", "app", true}, {"readWrite", "app", "delete", "app", true},
        {"readWrite", "app", "createIndexes", "app", true}, {"readWrite", "app", "drop", "app", true},
        {"readWrite", "app", "dropDatabase", "app", false}, {"readWrite", "app", "collMod", "app", false},
        {"readWrite", "app", "createUser", "app", false}, {"readWrite", "app", "insert", "other", false},
        {"readWrite", "app", "serverStatus", "admin", false},
        {"dbAdmin", "app", "find", "app", false}, {"dbAdmin", "app", "listCollections", "app", true}, {"dbAdmin", "app", "collMod", "app", true},
        {"dbAdmin", "app", "dropDatabase", "app", true}, {"dbAdmin", "app", "insert", "app", false},
        {"userAdmin", "app", "createUser", "app", true}, {"userAdmin", "app", "find", "app", false},
        {"userAdmin", "app", "createUser", "other", false},
        {"dbOwner", "app", "insert", "app", true}, {"dbOwner", "app", "dropDatabase", "app", true}, {"dbOwner", "app", "createUser", "app", true},
        {"readAnyDatabase", "admin", "find", "app", true}, {"readAnyDatabase", "admin", "find", "config", false},
        {"readAnyDatabase", "admin", "insert", "app", false}, {"readAnyDatabase", "admin", "listDatabases", "admin", true},
        {"readWriteAnyDatabase", "admin", "insert", "app", true}, {"readWriteAnyDatabase", "admin", "insert", "local", false},
        {"readWriteAnyDatabase", "admin", "dropDatabase", "app", false},
        {"userAdminAnyDatabase", "admin", "createUser", "app", true}, {"userAdminAnyDatabase", "admin", "find", "app", false},
        {"dbAdminAnyDatabase", "admin", "collMod", "app", true}, {"dbAdminAnyDatabase", "admin", "find", "app", false},
        {"clusterMonitor", "admin", "serverStatus", "admin", true}, {"clusterMonitor", "admin", "replSetGetStatus", "admin", true},
        {"clusterMonitor", "admin", "listShards", "admin", true}, {"clusterMonitor", "admin", "find", "config", true},
        {"clusterMonitor", "admin", "find", "app", false}, {"clusterMonitor", "admin", "addShard", "admin", false},
        {"clusterMonitor", "admin", "shutdown", "admin", false}, {"clusterMonitor", "admin", "collStats", "app", true},
        {"clusterMonitor", "admin", "dbStats", "app", true}, {"clusterMonitor", "admin", "listCollections", "app", false},
        {"read", "app", "dbStats", "app", true}, {"dbAdmin", "app", "collStats", "app", true},
        {"clusterManager", "admin", "addShard", "admin", true}, {"clusterManager", "admin", "shardCollection", "admin", true},
        {"clusterManager", "admin", "balancerStop", "admin", true}, {"clusterManager", "admin", "replSetStepDown", "admin", true},
        {"clusterManager", "admin", "find", "app", false}, {"clusterManager", "admin", "shutdown", "admin", false},
        {"hostManager", "admin", "shutdown", "admin", true}, {"hostManager", "admin", "killOp", "admin", true},
        {"hostManager", "admin", "addShard", "admin", false},
        {"clusterAdmin", "admin", "addShard", "admin", true}, {"clusterAdmin", "admin", "shutdown", "admin", true},
        {"clusterAdmin", "admin", "serverStatus", "admin", true}, {"clusterAdmin", "admin", "dropDatabase", "app", true},
        {"clusterAdmin", "admin", "find", "app", false}, {"clusterAdmin", "admin", "insert", "app", false},
        {"root", "admin", "find", "app", true}, {"root", "admin", "insert", "app", true}, {"root", "admin", "createUser", "app", true},
        {"root", "admin", "shutdown", "admin", true}, {"root", "admin", "addShard", "admin", true},
        {"root", "admin", "replSetHeartbeat", "admin", false}, {"root", "admin", "_shardsvrSetShardVersion", "admin", false},
        {"__system", "admin", "replSetHeartbeat", "admin", true}, {"__system", "admin", "_shardsvrSetShardVersion", "admin", true},
    };

    @Test
    void eachBuiltinRoleIsAllowedWhatMongoDbAllowsIt() {
        List<String> wrong = new ArrayList<>();
        for (Object[] row : TABLE) {
            boolean got = allowed((String) row[0], (String) row[1], (String) row[2], (String) row[3]);
            if (got != (Boolean) row[4]) {
                wrong.add(row[0] + "@" + row[1] + " " + row[2] + " on " + row[3] + ": expected " + row[4]);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void anonymousClientsGetTheOpenCommandsOnly() {
        for (String open : List.of("hello", "isMaster", "ping", "buildInfo", "saslStart", "saslContinue", "logout", "connectionStatus")) {
            assertNull(Authorizer.check(List.of(), open, "admin", false, null, null), open);
        }
        for (String closed : List.of("find", "insert", "listDatabases", "serverStatus", "dropDatabase", "addShard", "killAllSessions")) {
            assertEquals("command " + closed + " requires authentication", Authorizer.check(List.of(), closed, "app", false, null, null));
        }
    }

    @Test
    void anAggregateThatWritesNeedsTheWritePrivilegeAndExplainWhatItExplains() {
        List<UserRecord> reader = List.of(user("read", "app"));
        assertNull(Authorizer.check(reader, "aggregate", "app", false, null, null));
        assertTrue(Authorizer.check(reader, "aggregate", "app", true, null, null) != null, "$out needs readWrite");
        assertNull(Authorizer.check(reader, "explain", "app", false, "find", null));
        assertTrue(Authorizer.check(reader, "explain", "app", false, "update", null) != null);
        assertTrue(BuiltinRole.find("readAnyDatabase", "app") == null, "an admin-only role does not exist elsewhere");
    }
}
