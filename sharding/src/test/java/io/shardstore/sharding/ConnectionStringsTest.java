package io.shardstore.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectionStringsTest {

    @Test
    void oneHostIsADirectConnection() {
        assertEquals("mongodb://127.0.0.1:27018/?directConnection=true", ConnectionStrings.of("127.0.0.1:27018"));
    }

    @Test
    void aSetNameBeforeTheSlashMakesAReplicaSetConnection() {
        assertEquals("mongodb://127.0.0.1:27019,127.0.0.1:27119/?replicaSet=configRS",
            ConnectionStrings.of("configRS/127.0.0.1:27019,127.0.0.1:27119"));
    }
}
