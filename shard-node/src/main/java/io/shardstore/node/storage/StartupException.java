package io.shardstore.node.storage;

/** A reason the node cannot start, said in one line (taken port, unwritable dbpath, dbpath in use). */
public class StartupException extends Exception {
    public StartupException(String message) {
        super(message);
    }
}
