package io.shardstore.node.command;

import io.shardstore.node.command.admin.BuildInfoCommand;
import io.shardstore.node.command.admin.ConnectionStatusCommand;
import io.shardstore.node.command.admin.GetCmdLineOptsCommand;
import io.shardstore.node.command.admin.GetLogCommand;
import io.shardstore.node.command.admin.GetParameterCommand;
import io.shardstore.node.command.admin.HelloCommand;
import io.shardstore.node.command.admin.HostInfoCommand;
import io.shardstore.node.command.admin.ListCommandsCommand;
import io.shardstore.node.command.admin.PingCommand;
import io.shardstore.node.command.admin.ServerStatusCommand;
import io.shardstore.node.command.admin.TopCommand;
import io.shardstore.node.command.admin.SessionAckCommand;
import io.shardstore.node.command.admin.WhatsMyUriCommand;
import io.shardstore.node.command.data.AggregateCommand;
import io.shardstore.node.command.data.CatalogCommand;
import io.shardstore.node.command.data.CollStatsCommand;
import io.shardstore.node.command.data.CreateCommand;
import io.shardstore.node.command.data.CreateIndexesCommand;
import io.shardstore.node.command.data.DeleteCommand;
import io.shardstore.node.command.data.DistinctCommand;
import io.shardstore.node.command.data.DropCommand;
import io.shardstore.node.command.data.DropIndexesCommand;
import io.shardstore.node.command.data.EngineCommand;
import io.shardstore.node.command.data.FindAndModifyCommand;
import io.shardstore.node.command.data.FindCommand;
import io.shardstore.node.command.data.GetMoreCommand;
import io.shardstore.node.command.data.InsertCommand;
import io.shardstore.node.command.data.ListCollectionsCommand;
import io.shardstore.node.command.data.ListDatabasesCommand;
import io.shardstore.node.command.data.ListIndexesCommand;
import io.shardstore.node.command.data.RenameCollectionCommand;
import io.shardstore.node.command.data.UpdateCommand;
import io.shardstore.node.command.repl.GetDefaultRWConcernCommand;
import io.shardstore.node.command.repl.ReplSetFreezeCommand;
import io.shardstore.node.command.repl.SetDefaultRWConcernCommand;
import io.shardstore.node.command.repl.ReplSetGetConfigCommand;
import io.shardstore.node.command.repl.ReplSetGetStatusCommand;
import io.shardstore.node.command.repl.ReplSetHeartbeatCommand;
import io.shardstore.node.command.repl.ReplSetInitiateCommand;
import io.shardstore.node.command.repl.ReplSetReconfigCommand;
import io.shardstore.node.command.repl.ReplSetRequestVotesCommand;
import io.shardstore.node.command.repl.ReplSetStepDownCommand;
import io.shardstore.node.command.repl.ReplSetStepUpCommand;
import io.shardstore.node.command.repl.ReplSetUpdatePositionCommand;
import io.shardstore.node.command.shardsvr.CriticalSectionCommand;
import io.shardstore.node.command.shardsvr.MigrationCaptureCommand;
import io.shardstore.node.command.shardsvr.SetShardVersionCommand;

/** Every command a shard node answers; anything else is CommandNotFound. */
public final class Commands {

    private Commands() {
    }

    public static CommandRegistry all() {
        CommandRegistry registry = new CommandRegistry()
            // handshake and diagnostics
            .register(new HelloCommand())
            .register(new PingCommand())
            .register(new io.shardstore.node.command.admin.KillOpCommand())
            .register(new io.shardstore.node.command.admin.MapReduceCommand())
            .register(new io.shardstore.node.command.data.ExplainCommand())
            .register(new BuildInfoCommand())
            .register(new GetParameterCommand())
            .register(new ServerStatusCommand())
            .register(new TopCommand())
            .register(new SetDefaultRWConcernCommand())
            .register(new GetDefaultRWConcernCommand())
            .register(new HostInfoCommand())
            .register(new GetCmdLineOptsCommand())
            .register(new GetLogCommand())
            .register(new ConnectionStatusCommand())
            .register(new io.shardstore.node.command.admin.ShutdownCommand())
            .register(new io.shardstore.node.command.auth.SaslStartCommand())
            .register(new io.shardstore.node.command.auth.SaslContinueCommand())
            .register(new io.shardstore.node.command.auth.LogoutCommand())
            .register(new io.shardstore.node.command.auth.UsersInfoCommand())
            .register(new io.shardstore.node.command.auth.UserAdminCommand.Create())
            .register(new io.shardstore.node.command.auth.UserAdminCommand.Update())
            .register(new io.shardstore.node.command.auth.UserAdminCommand.Drop())
            .register(new io.shardstore.node.command.auth.UserAdminCommand.DropAll())
            .register(new io.shardstore.node.command.auth.UserAdminCommand.Roles(true))
            .register(new io.shardstore.node.command.auth.UserAdminCommand.Roles(false))
            .register(new WhatsMyUriCommand())
            .register(new ListCommandsCommand())
            // replica sets (a standalone answers NoReplicationEnabled)
            .register(new ReplSetGetStatusCommand())
            .register(new ReplSetInitiateCommand())
            .register(new ReplSetGetConfigCommand())
            .register(new ReplSetReconfigCommand())
            .register(new ReplSetHeartbeatCommand())
            .register(new ReplSetRequestVotesCommand())
            .register(new ReplSetUpdatePositionCommand())
            .register(new ReplSetStepDownCommand())
            .register(new ReplSetStepUpCommand())
            .register(new ReplSetFreezeCommand())
            .register(new SessionAckCommand("endSessions"))
            .register(new SessionAckCommand("killSessions"))
            .register(new SessionAckCommand("killAllSessions"))
            // writes, journaled
            .register(new InsertCommand())
            .register(new UpdateCommand())
            .register(new DeleteCommand())
            .register(new FindAndModifyCommand())
            .register(new AggregateCommand())
            .register(new DropCommand())
            .register(new CreateCommand())
            .register(new CreateIndexesCommand())
            .register(new DropIndexesCommand())
            .register(new RenameCollectionCommand())
            // reads the engine answers with a correction of ours
            .register(new FindCommand())
            .register(new GetMoreCommand())
            .register(new DistinctCommand())
            .register(new ListCollectionsCommand())
            .register(new ListIndexesCommand())
            .register(new ListDatabasesCommand())
            // sharding, sent by the config server
            .register(new SetShardVersionCommand())
            .register(new MigrationCaptureCommand())
            .register(new CriticalSectionCommand())
            .register(new io.shardstore.node.command.shardsvr.CommitReshardingCommand())
            .register(new io.shardstore.node.command.shardsvr.RetryableStatusCommand())
            .register(new io.shardstore.node.command.shardsvr.ShardCapabilitiesCommand());
        registry.register(new CatalogCommand("dropDatabase"));
        registry.register(new io.shardstore.node.command.data.CollModCommand());
        registry.register(new CollStatsCommand());
        registry.register(new io.shardstore.node.command.data.DbHashCommand());
        registry.register(new EngineCommand("count", io.shardstore.protocol.CommandSyntax.of("count")));
        registry.register(new io.shardstore.node.command.data.DbStatsCommand());
        registry.register(new EngineCommand("killCursors", io.shardstore.protocol.CommandSyntax.of("killCursors")));
        for (String read : new String[] {"validate"}) {
            registry.register(new EngineCommand(read));
        }
        return registry;
    }
}
