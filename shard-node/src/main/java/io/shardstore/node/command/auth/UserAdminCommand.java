package io.shardstore.node.command.auth;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.command.Command;
import io.shardstore.node.command.CommandContext;
import io.shardstore.node.command.Errors;
import io.shardstore.protocol.ErrorCode;
import io.shardstore.security.ScramMechanism;
import io.shardstore.security.UserRecord;

/**
 * createUser, updateUser, dropUser, dropAllUsersFromDatabase, grantRolesToUser and revokeRolesFromUser, one class
 * per command below, over {@link Users}. Writes on the storage thread (so they replicate); errors as mongod's:
 * UserNotFound (11), RoleNotFound (31), 51003 for a user that exists.
 */
public abstract class UserAdminCommand implements Command {

    @Override
    public boolean writes() {
        return true;
    }

    protected static String userName(CommandContext ctx) {
        Object name = ctx.body().get(ctx.name());
        if (!(name instanceof String s) || s.isEmpty()) {
            throw Errors.of(ErrorCode.BadValue, ctx.name() + " needs a user name as a non-empty string");
        }
        return s;
    }

    protected static UserRecord existing(CommandContext ctx, String user) {
        UserRecord found = Users.find(ctx.node().storage(), ctx.db(), user);
        if (found == null) {
            throw Errors.of(ErrorCode.UserNotFound, "Could not find user \"" + user + "\" for db \"" + ctx.db() + "\"");
        }
        return found;
    }

    protected static List<ScramMechanism> mechanisms(CommandContext ctx) {
        Object given = ctx.body().get("mechanisms");
        if (given == null) {
            return List.of(ScramMechanism.values());
        }
        if (!(given instanceof List<?> list) || list.isEmpty()) {
            throw Errors.of(ErrorCode.BadValue, "mechanisms field must be a non-empty array of strings");
        }
        List<ScramMechanism> out = new ArrayList<>();
        for (Object o : list) {
            ScramMechanism m = o instanceof String s ? ScramMechanism.named(s) : null;
            if (m == null) {
                throw Errors.of(ErrorCode.BadValue, "Unknown auth mechanism '" + o + "'");
            }
            out.add(m);
        }
        return out;
    }

    protected static String password(CommandContext ctx, boolean required) {
        Object pwd = ctx.body().get("pwd");
        if (pwd == null && !required) {
            return null;
        }
        if (!(pwd instanceof String s) || s.isEmpty()) {
            throw Errors.of(ErrorCode.BadValue, "Must provide a 'pwd' field for all user documents, except those with '$external' as the user's source db");
        }
        if (Boolean.FALSE.equals(ctx.body().get("digestPassword"))) {
            throw Errors.of(ErrorCode.BadValue, "Use of SCRAM-SHA-256 requires undigested passwords");
        }
        return s;
    }

    protected static BsonDocument customData(CommandContext ctx) {
        Object data = ctx.body().get("customData");
        if (data == null) {
            return null;
        }
        if (!(data instanceof Document d)) {
            throw Errors.of(ErrorCode.BadValue, "\"customData\" must be an object");
        }
        return BsonBridge.toBson(d);
    }

    /** createUser. */
    public static final class Create extends UserAdminCommand {
        @Override
        public String name() {
            return "createUser";
        }

        @Override
        public Document run(CommandContext ctx) {
            String user = userName(ctx);
            if (ctx.node().options().security().auth() && ctx.connection().auth().users().isEmpty() && Users.any(ctx.node().storage())) {
                // Let through by the localhost exception, which ends with the first user.
                throw Errors.of(ErrorCode.Unauthorized, "command createUser requires authentication");
            }
            if (Users.find(ctx.node().storage(), ctx.db(), user) != null) {
                throw Errors.of(ErrorCode.UserAlreadyExists, "User \"" + user + "@" + ctx.db() + "\" already exists");
            }
            List<UserRecord.RoleName> roles = Users.roles(ctx.body().get("roles"), ctx.db(), "roles");
            Users.insert(ctx.node().storage(), UserRecord.newDocument(user, ctx.db(), password(ctx, true), mechanisms(ctx), roles, customData(ctx)));
            return new Document("ok", 1.0);
        }
    }

    /** updateUser: a new password (new credentials), roles (replaced) or customData. */
    public static final class Update extends UserAdminCommand {
        @Override
        public String name() {
            return "updateUser";
        }

        @Override
        public Document run(CommandContext ctx) {
            UserRecord found = existing(ctx, userName(ctx));
            BsonDocument doc = found.document().clone();
            String pwd = password(ctx, false);
            if (pwd != null) {
                doc.put("credentials", UserRecord.credentials(found.user(), pwd, mechanisms(ctx)));
            }
            if (ctx.body().containsKey("roles")) {
                doc.put("roles", UserRecord.rolesArray(Users.roles(ctx.body().get("roles"), ctx.db(), "roles")));
            }
            BsonDocument data = customData(ctx);
            if (data != null) {
                doc.put("customData", data);
            }
            if (pwd == null && !ctx.body().containsKey("roles") && data == null) {
                throw Errors.of(ErrorCode.BadValue, "Must specify at least one field to update in updateUser");
            }
            Users.replace(ctx.node().storage(), doc);
            return new Document("ok", 1.0);
        }
    }

    /** dropUser. */
    public static final class Drop extends UserAdminCommand {
        @Override
        public String name() {
            return "dropUser";
        }

        @Override
        public Document run(CommandContext ctx) {
            String user = userName(ctx);
            if (Users.delete(ctx.node().storage(), new Document("_id", ctx.db() + "." + user)) == 0) {
                throw Errors.of(ErrorCode.UserNotFound, "Could not find user \"" + user + "\" for db \"" + ctx.db() + "\"");
            }
            return new Document("ok", 1.0);
        }
    }

    /** dropAllUsersFromDatabase. */
    public static final class DropAll extends UserAdminCommand {
        @Override
        public String name() {
            return "dropAllUsersFromDatabase";
        }

        @Override
        public Document run(CommandContext ctx) {
            long n = Users.delete(ctx.node().storage(), new Document("db", ctx.db()));
            return new Document("n", (int) n).append("ok", 1.0);
        }
    }

    /** grantRolesToUser and revokeRolesFromUser. */
    public static final class Roles extends UserAdminCommand {
        private final boolean grant;

        public Roles(boolean grant) {
            this.grant = grant;
        }

        @Override
        public String name() {
            return grant ? "grantRolesToUser" : "revokeRolesFromUser";
        }

        @Override
        public Document run(CommandContext ctx) {
            UserRecord found = existing(ctx, userName(ctx));
            List<UserRecord.RoleName> given = Users.roles(ctx.body().get("roles"), ctx.db(), "roles");
            List<UserRecord.RoleName> roles = new ArrayList<>(found.roles());
            for (UserRecord.RoleName r : given) {
                if (grant && !roles.contains(r)) {
                    roles.add(r);
                } else if (!grant) {
                    roles.remove(r);
                }
            }
            BsonDocument doc = found.document().clone();
            doc.put("roles", UserRecord.rolesArray(roles));
            Users.replace(ctx.node().storage(), doc);
            return new Document("ok", 1.0);
        }
    }
}
