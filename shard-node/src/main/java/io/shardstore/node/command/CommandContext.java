package io.shardstore.node.command;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import io.shardstore.node.NodeServices;
import io.shardstore.node.server.ClientConnection;

/** What a command handler sees: the request, the database, the client's connection and the node. */
public record CommandContext(String name, String db, Document body, ClientConnection connection, NodeServices node) {

    public Channel channel() {
        return connection.channel();
    }

    /** The command's main argument as a collection name, failing as mongod does when it is not a string. */
    public String collectionName() {
        Object value = body.get(name);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw Errors.invalidNamespace("collection name has invalid type " + Errors.typeName(value));
        }
        return s;
    }

    public String namespace() {
        return db + "." + collectionName();
    }

    /** Whether the write concern asks to wait for the journal. */
    public boolean journalRequested() {
        Object wc = body.get("writeConcern");
        if (wc instanceof Document d) {
            Object j = d.get("j");
            if (j instanceof Boolean b) {
                return b;
            }
            if (j instanceof Number n) {
                return n.intValue() != 0;
            }
            // writeConcernMajorityJournalDefault is true: majority implies the journal.
            return "majority".equals(d.get("w"));
        }
        return false;
    }
}
