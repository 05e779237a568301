package io.shardstore.node.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import io.shardstore.node.NodeOptions;
import io.shardstore.node.NodeServices;
import io.shardstore.node.storage.StorageEngine;

/**
 * The dispatcher's future always completes with a reply: a command that fails before it runs (here: choosing its
 * handler) gets an error reply with MongoDB's code, rather than an exception thrown on the event loop, which closed
 * the client's connection without an answer.
 */
class DispatchAlwaysAnswersTest {

    @Test
    void aFailureBeforeTheCommandRunsIsAnErrorReply() throws Exception {
        Command broken = new Command() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Command forRequest(CommandContext ctx) {
                throw new IllegalStateException("no handler for this request");
            }

            @Override
            public Document run(CommandContext ctx) {
                return new Document();
            }
        };
        try (StorageEngine storage = StorageEngine.inMemory()) {
            NodeServices node = new NodeServices(NodeOptions.inMemory(0), storage, new CommandRegistry().register(broken));
            Document body = new Document("broken", 1).append("$db", "admin");
            CompletableFuture<Document> reply = node.dispatcher().dispatch(new CommandContext("broken", "admin", body, null, node));
            Document answer = reply.get(5, TimeUnit.SECONDS);
            assertEquals(0.0, answer.get("ok"), answer.toString());
            assertEquals(1, answer.get("code"), answer.toString()); // InternalError
            assertEquals("InternalError", answer.get("codeName"), answer.toString());
        }
    }
}
