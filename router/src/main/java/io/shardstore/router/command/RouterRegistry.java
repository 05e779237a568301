package io.shardstore.router.command;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

import io.shardstore.protocol.ErrorCode;
import io.shardstore.router.command.admin.BuildInfo;
import io.shardstore.router.command.admin.ConfigForwardCommand;
import io.shardstore.router.command.admin.ExplainCommand;
import io.shardstore.router.command.admin.HelloCommand;
import io.shardstore.router.command.admin.ServerStatusCommand;
import io.shardstore.router.command.admin.StaticCommand;
import io.shardstore.router.command.data.AggregateCommand;
import io.shardstore.router.command.data.QueryCommand;
import io.shardstore.router.command.data.DropCommand;
import io.shardstore.router.command.data.FindAndModifyCommand;
import io.shardstore.router.command.data.FindCommand;
import io.shardstore.router.command.data.GetMoreCommand;
import io.shardstore.router.command.data.IndexCommand;
import io.shardstore.router.command.data.KillCursorsCommand;
import io.shardstore.router.command.data.ListCommand;
import io.shardstore.router.command.data.PrimaryShardCommand;
import io.shardstore.router.command.data.WriteCommand;

/** Every command the router answers, by name and alias; the rest is CommandNotFound. */
public final class RouterRegistry {
    private final Map<String, RouterCommand> byName = new TreeMap<>();

    public static RouterRegistry standard() {
        RouterRegistry r = new RouterRegistry();
        r.register(new HelloCommand())
            .register(new BuildInfo())
            .register(new ServerStatusCommand())
            .register(new io.shardstore.router.command.admin.KillOpCommand())
            .register(new StaticCommand(io.shardstore.protocol.MapReduce.COMMAND, List.of(), (q, e) -> {
                throw new RouterError(ErrorCode.NotImplemented, io.shardstore.protocol.MapReduce.REFUSED);
            }))
            .register(new StaticCommand("ping", List.of(), (q, e) -> Replies.ok()))
            .register(new StaticCommand("whatsmyuri", List.of(), (q, e) ->
                new BsonDocument("you", new BsonString(String.valueOf(e.client().remote()).replaceFirst("^/", ""))).append("ok", new BsonDouble(1))))
            .register(new StaticCommand("connectionStatus", List.of(), (q, e) -> new BsonDocument("authInfo", e.client().auth().authInfo())
                .append("ok", new BsonDouble(1))))
            .register(new StaticCommand("shutdown", List.of(), (q, e) -> {
                // mongos: only on admin; the router holds no data, so there is nothing to step down or wait for.
                if (!"admin".equals(q.db())) {
                    throw new RouterError(io.shardstore.protocol.ErrorCode.Unauthorized, "shutdown may only be run against the admin database.");
                }
                e.router().requestShutdown();
                return Replies.ok();
            }))
            .register(new io.shardstore.router.command.auth.SaslStart())
            .register(new io.shardstore.router.command.auth.SaslContinue())
            .register(new StaticCommand("logout", List.of(), (q, e) -> {
                e.client().auth().logout();
                return Replies.ok();
            }))
            .register(new StaticCommand("getParameter", List.of(), (q, e) -> new BsonDocument("featureCompatibilityVersion",
                new BsonDocument("version", new BsonString("7.0"))).append("ok", new BsonDouble(1))))
            .register(new StaticCommand("getCmdLineOpts", List.of(), (q, e) -> new BsonDocument("argv",
                new BsonArray(java.util.stream.Stream.concat(java.util.stream.Stream.of("router"), e.router().argv().stream())
                    .map(a -> (org.bson.BsonValue) new BsonString(a)).toList()))
                .append("parsed", new BsonDocument("net", new BsonDocument("bindIp", new BsonString(e.router().options().bindIp()))
                    .append("port", new BsonInt32(e.router().options().port())))
                    .append("sharding", new BsonDocument("configDB", new BsonString(e.router().options().configDb()))))
                .append("ok", new BsonDouble(1))))
            .register(new StaticCommand("hostInfo", List.of(), (q, e) ->
                io.shardstore.router.engine.MergeEngine.fromEngine(io.shardstore.engine.HostInfo.reply())))
            // mongosh's db.getProfilingStatus() / setProfilingLevel(0): as on mongos, which profiles nothing itself.
            .register(new StaticCommand("profile", List.of(), RouterRegistry::profile))
            .register(new StaticCommand("getLog", List.of(), (q, e) -> new BsonDocument("totalLinesWritten", new BsonInt32(0))
                .append("log", new BsonArray()).append("ok", new BsonDouble(1))))
            .register(new StaticCommand("endSessions", List.of(), RouterRegistry::endSessions))
            .register(new StaticCommand("killSessions", List.of(), RouterRegistry::endSessions))
            .register(new StaticCommand("killAllSessions", List.of(), (q, e) -> {
                e.router().sessions().live().keySet().forEach(e.router().sessions()::ended);
                return Replies.ok();
            }))
            .register(new StaticCommand("flushRouterConfig", List.of(), (q, e) -> {
                e.catalog().invalidateAll();
                return new BsonDocument("flushed", org.bson.BsonBoolean.TRUE).append("ok", new BsonDouble(1));
            }))
            .register(new StaticCommand("replSetGetStatus", List.of(), (q, e) -> {
                throw new RouterError(ErrorCode.IllegalOperation, "replSetGetStatus is not supported through mongos");
            }))
            // data
            .register(new FindCommand())
            .register(QueryCommand.count())
            .register(QueryCommand.distinct())
            .register(new AggregateCommand())
            .register(new WriteCommand("insert", "documents"))
            .register(new WriteCommand("update", "updates"))
            .register(new WriteCommand("delete", "deletes"))
            .register(new FindAndModifyCommand())
            .register(new GetMoreCommand())
            .register(new KillCursorsCommand())
            .register(new IndexCommand("createIndexes"))
            .register(new IndexCommand("dropIndexes"))
            .register(new IndexCommand("listIndexes"))
            .register(new DropCommand(false))
            .register(new DropCommand(true))
            .register(new ListCommand(false))
            .register(new ListCommand(true));
        r.register(new io.shardstore.router.command.data.RenameCollectionCommand())
            .register(new io.shardstore.router.command.data.DbStatsCommand())
            .register(new StaticCommand("listCommands", List.of(), (q, e) -> {
                BsonDocument commands = new BsonDocument();
                r.byName.keySet().forEach(n -> commands.put(n, new BsonDocument("help", new BsonString(""))));
                return new BsonDocument("commands", commands).append("ok", new BsonDouble(1));
            }));
        r.register(new io.shardstore.router.command.data.CollStatsCommand());
        for (String primary : new String[] {"create", "validate", "collMod"}) {
            r.register(new PrimaryShardCommand(primary));
        }
        for (String admin : new String[] {"addShard", "removeShard", "listShards", "enableSharding", "shardCollection", "split",
            "moveChunk", "moveRange", "balancerStatus", "balancerStart", "balancerStop", "addShardToZone", "removeShardFromZone",
            "updateZoneKeyRange", "abortReshardCollection"}) {
            r.register(new ConfigForwardCommand(admin));
        }
        for (String users : new String[] {"createUser", "updateUser", "dropUser", "dropAllUsersFromDatabase", "grantRolesToUser",
            "revokeRolesFromUser", "usersInfo"}) {
            r.register(new io.shardstore.router.command.auth.UserAdminForward(users));
        }
        r.register(new io.shardstore.router.command.admin.ReshardCollectionCommand());
        r.register(new io.shardstore.router.command.admin.DefaultRWConcernCommand("setDefaultRWConcern"))
            .register(new io.shardstore.router.command.admin.DefaultRWConcernCommand("getDefaultRWConcern"));
        r.register(new io.shardstore.router.command.analysis.AnalyzeShardKeyCommand())
            .register(new io.shardstore.router.command.analysis.ConfigureQueryAnalyzerCommand())
            .register(new io.shardstore.router.command.analysis.ShardKeyAdvisorCommand());
        r.register(new ExplainCommand(r));
        return r;
    }

    /** {@code profile}: level -1 (the status) or 0 (off) answer {was: 0, slowms, sampleRate}; other levels are refused. */
    private static BsonDocument profile(io.shardstore.router.frontend.RouterRequest request, io.shardstore.router.engine.Exec exec) {
        org.bson.BsonValue level = request.value("profile");
        if (level == null || !level.isNumber() || (level.asNumber().intValue() != -1 && level.asNumber().intValue() != 0)) {
            return new RouterError(io.shardstore.protocol.ErrorCode.BadValue,
                "profiling is not supported by this router: only levels 0 (off) and -1 (status)").toReply();
        }
        return new BsonDocument("was", new BsonInt32(0)).append("slowms", new BsonInt32(100))
            .append("sampleRate", new BsonDouble(1.0)).append("ok", new BsonDouble(1));
    }

    /** endSessions / killSessions: the named sessions leave this router's session registry ($listLocalSessions). */
    private static BsonDocument endSessions(io.shardstore.router.frontend.RouterRequest request, io.shardstore.router.engine.Exec exec) {
        org.bson.BsonValue named = request.body().get(request.name());
        if (named != null && named.isArray()) {
            for (org.bson.BsonValue lsid : named.asArray()) {
                if (lsid.isDocument() && lsid.asDocument().containsKey("id")) {
                    exec.router().sessions().ended(io.shardstore.router.frontend.SessionKey.of(lsid.asDocument().get("id")));
                }
            }
        }
        return Replies.ok();
    }

    public RouterRegistry register(RouterCommand command) {
        add(command.name(), command);
        command.aliases().forEach(a -> add(a, command));
        return this;
    }

    private void add(String name, RouterCommand command) {
        if (byName.putIfAbsent(name, command) != null) {
            throw new IllegalStateException("router command registered twice: " + name);
        }
    }

    public RouterCommand find(String name) {
        return byName.get(name);
    }

    /** Every name a command answers to (aliases included). */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(byName.keySet());
    }
}
