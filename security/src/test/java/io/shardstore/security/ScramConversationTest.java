package io.shardstore.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The server side of SCRAM-SHA-256 against RFC 7677's example exchange (user "user", password "pencil"). */
class ScramConversationTest {
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String PROOF = "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";

    private static UserRecord pencil() {
        ScramCredential c = ScramMechanism.SHA_256.credential("user", "pencil", Base64.getDecoder().decode(SALT), 4096);
        BsonDocument credentials = new BsonDocument(c.mechanism().mechanismName(), c.toDocument());
        return new UserRecord("user", "admin", credentials, List.of(), new BsonDocument());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ScramConversation started() {
        ScramConversation conversation = new ScramConversation(ScramMechanism.SHA_256, "admin", () -> SERVER_NONCE);
        byte[] serverFirst = conversation.start(bytes("n,,n=user,r=" + CLIENT_NONCE), name -> name.equals("user") ? pencil() : null);
        assertEquals("r=" + CLIENT_NONCE + SERVER_NONCE + ",s=" + SALT + ",i=4096", new String(serverFirst, StandardCharsets.UTF_8));
        return conversation;
    }

    @Test
    void theRfcExchangeAuthenticatesAndSignsAsTheRfcSays() {
        ScramConversation conversation = started();
        byte[] serverFinal = conversation.finish(bytes("c=biws,r=" + CLIENT_NONCE + SERVER_NONCE + ",p=" + PROOF));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", new String(serverFinal, StandardCharsets.UTF_8));
        assertEquals("user", conversation.user().user());
    }

    @Test
    void aWrongProofANonceChangeOrAnUnknownUserFail() {
        String badProof = PROOF.substring(0, 5) + (PROOF.charAt(5) == 'A' ? 'B' : 'A') + PROOF.substring(6);
        ScramConversation wrong = started();
        assertThrows(AuthenticationFailed.class, () -> wrong.finish(bytes("c=biws,r=" + CLIENT_NONCE + SERVER_NONCE + ",p=" + badProof)));
        assertNull(wrong.user());
        ScramConversation replayed = started();
        assertThrows(AuthenticationFailed.class, () -> replayed.finish(bytes("c=biws,r=" + CLIENT_NONCE + "other,p=" + PROOF)));
        ScramConversation unknown = new ScramConversation(ScramMechanism.SHA_256, "admin");
        assertThrows(AuthenticationFailed.class, () -> unknown.start(bytes("n,,n=nobody,r=abc"), name -> null));
        assertThrows(AuthenticationFailed.class, () -> new ScramConversation(ScramMechanism.SHA_256, "admin")
            .start(bytes("p=tls-unique,,n=user,r=abc"), name -> pencil()), "channel binding is refused");
    }

    @Test
    void storedCredentialsHoldNoPasswordAndDifferPerSalt() {
        ScramCredential a = ScramMechanism.SHA_256.credential("user", "pencil");
        ScramCredential b = ScramMechanism.SHA_256.credential("user", "pencil");
        assertEquals(15000, a.iterationCount());
        assertEquals(10000, ScramMechanism.SHA_1.credential("user", "pencil").iterationCount());
        org.junit.jupiter.api.Assertions.assertNotEquals(a.storedKey(), b.storedKey(), "a fresh salt per credential");
        org.junit.jupiter.api.Assertions.assertFalse(a.toDocument().toJson().contains("pencil"));
    }

    @Test
    void ourClientLogsInToOurServerWithBothMechanismsAndAWrongPasswordFails() {
        for (ScramMechanism m : ScramMechanism.values()) {
            BsonDocument credentials = UserRecord.credentials("member", "the key", List.of(m));
            UserRecord user = new UserRecord("member", "local", credentials, List.of(), new BsonDocument());
            for (String password : List.of("the key", "the key")) { // the second login reuses the salted key
                ScramClient client = new ScramClient(m, "member", password);
                ScramConversation server = new ScramConversation(m, "local");
                byte[] serverFirst = server.start(client.first(), name -> user);
                client.verify(server.finish(client.finalMessage(serverFirst)));
                assertEquals("member", server.user().user());
            }
            ScramClient wrong = new ScramClient(m, "member", "another key");
            ScramConversation server = new ScramConversation(m, "local");
            byte[] serverFirst = server.start(wrong.first(), name -> user);
            assertThrows(AuthenticationFailed.class, () -> server.finish(wrong.finalMessage(serverFirst)), m.mechanismName());
        }
    }
}
