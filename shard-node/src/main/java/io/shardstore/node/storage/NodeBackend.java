package io.shardstore.node.storage;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.oplog.Oplog;

/** mongo-java-server's in-memory engine with our effect recorder in the place of its oplog. */
final class NodeBackend extends MemoryBackend {
    private Oplog recorder;

    void recordEffectsWith(Oplog recorder) {
        this.recorder = recorder;
        enableOplog();
    }

    @Override
    protected Oplog createOplog() {
        return recorder;
    }
}
