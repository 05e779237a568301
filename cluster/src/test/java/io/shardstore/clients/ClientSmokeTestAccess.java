package io.shardstore.clients;

import java.io.IOException;
import java.util.List;

/** The smoke tests' helpers for real clients (skip locally when missing, fail in CI), for tests in other packages. */
public final class ClientSmokeTestAccess {
    private ClientSmokeTestAccess() {
    }

    public static void requireTool(String... probe) throws InterruptedException {
        ClientSmokeTest.requireTool(probe);
    }

    public static String run(List<String> command) throws IOException, InterruptedException {
        return ClientSmokeTest.run(command);
    }
}
