package io.shardstore.router.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.junit.jupiter.api.Test;

import io.shardstore.protocol.CommandSyntax;
import io.shardstore.router.frontend.RouterRequest;

/**
 * The syntax check remembers the field-name lists it accepted: a remembered list must never let through a body whose
 * verdict depends on more than its names (a collation's value), nor a list it refused.
 */
class SyntaxCheckCacheTest {

    private static RouterRequest request(String json) {
        RawBsonDocument body = new RawBsonDocument(BsonDocument.parse(json), new BsonDocumentCodec());
        return new RouterRequest(body.getFirstKey(), "db", body, Map.of(), null);
    }

    @Test
    void aRememberedShapeIsAcceptedAgainAndOthersAreStillChecked() {
        CommandSyntax.Syntax find = CommandSyntax.of("find");
        String ok = "{find: 'c', filter: {a: 1}, limit: 1, singleBatch: true, lsid: {id: 1}, $db: 'db'}";
        assertNull(SyntaxCheck.check(find, request(ok)));
        assertNull(SyntaxCheck.check(find, request(ok)), "the same shape, now remembered");
        String unknown = "{find: 'c', filter: {a: 1}, limit: 1, bogus: true, $db: 'db'}";
        for (int i = 0; i < 2; i++) {
            CommandSyntax.Refusal refusal = SyntaxCheck.check(find, request(unknown));
            assertNotNull(refusal, "refused every time, never remembered");
            assertEquals(40415, refusal.code());
        }
    }

    @Test
    void aShapeWithACollationIsCheckedByItsValueEveryTime() {
        CommandSyntax.Syntax find = CommandSyntax.of("find");
        assertNull(SyntaxCheck.check(find, request("{find: 'c', filter: {}, collation: {locale: 'simple'}, $db: 'db'}")));
        CommandSyntax.Refusal refusal = SyntaxCheck.check(find, request("{find: 'c', filter: {}, collation: {locale: 'fr'}, $db: 'db'}"));
        assertNotNull(refusal, "the same names, another collation");
        assertEquals(238, refusal.code());
    }

    @Test
    void theSameNamesUnderAnotherCommandAreCheckedForThatCommand() {
        assertNull(SyntaxCheck.check(CommandSyntax.of("find"), request("{find: 'c', filter: {}, $db: 'db'}")));
        CommandSyntax.Refusal refusal = SyntaxCheck.check(CommandSyntax.of("count"), request("{count: 'c', filter: {}, $db: 'db'}"));
        assertNotNull(refusal, "count has no 'filter'");
        assertEquals(40415, refusal.code());
    }

    private static RouterRequest withSequence(String json, String id, String... statements) {
        RawBsonDocument body = new RawBsonDocument(BsonDocument.parse(json), new BsonDocumentCodec());
        java.util.List<RawBsonDocument> docs = new java.util.ArrayList<>();
        for (String statement : statements) {
            docs.add(new RawBsonDocument(BsonDocument.parse(statement), new BsonDocumentCodec()));
        }
        return new RouterRequest(body.getFirstKey(), "db", body, Map.of(id, docs), null);
    }

    @Test
    void statementsInASequenceAreRememberedByTheirNamesAndTheirRefusalsAndValuesStillCount() {
        CommandSyntax.Syntax update = CommandSyntax.of("update");
        String body = "{update: 'c', ordered: true, txnNumber: 1, $db: 'db'}";
        String ok = "{q: {_id: 1}, u: {$set: {a: 1}}}";
        assertNull(SyntaxCheck.check(update, withSequence(body, "updates", ok)));
        assertNull(SyntaxCheck.check(update, withSequence(body, "updates", ok)), "the same shape, now remembered");
        for (int i = 0; i < 2; i++) {
            CommandSyntax.Refusal refusal = SyntaxCheck.check(update, withSequence(body, "updates", "{q: {_id: 1}, u: {$set: {a: 1}}, bogus: 1}"));
            assertNotNull(refusal, "an unknown statement field is refused every time, never remembered");
            assertEquals(40415, refusal.code());
            refusal = SyntaxCheck.check(update, withSequence(body, "updates", ok, "{q: {_id: 2}, u: {$set: {a: 1}}, sampleId: 1}"));
            assertNotNull(refusal, "a client's sampleId in a second statement is refused, though the first is a known shape");
        }
        String collated = "{q: {_id: 1}, u: {$set: {a: 1}}, collation: {locale: 'simple'}}";
        assertNull(SyntaxCheck.check(update, withSequence(body, "updates", collated)));
        CommandSyntax.Refusal refusal = SyntaxCheck.check(update, withSequence(body, "updates",
            "{q: {_id: 1}, u: {$set: {a: 1}}, collation: {locale: 'fr'}}"));
        assertNotNull(refusal, "the same names, another collation: checked by its value every time");
        assertEquals(238, refusal.code());
    }

    @Test
    void documentsToInsertAreNotPartOfTheShapeAndAnUnknownSequenceIsStillRefused() {
        CommandSyntax.Syntax insert = CommandSyntax.of("insert");
        String body = "{insert: 'c', ordered: true, $db: 'db'}";
        assertNull(SyntaxCheck.check(insert, withSequence(body, "documents", "{_id: 1, anything: 1}")));
        assertNull(SyntaxCheck.check(insert, withSequence(body, "documents", "{_id: 2, collation: 'a field of the user'}")));
        CommandSyntax.Refusal refusal = SyntaxCheck.check(insert, withSequence(body, "bogus", "{_id: 1}"));
        assertNotNull(refusal, "a sequence the command does not take");
    }
}
