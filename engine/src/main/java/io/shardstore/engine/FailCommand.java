package io.shardstore.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * mongod's and mongos's {@code failCommand} fail point, the one the drivers' test suites set through
 * {@code configureFailPoint} (a test command: only with {@code --setParameter enableTestCommands=1}). While it is on,
 * a command it names fails as told: an error code (with the labels given, or the server's own), a closed connection,
 * a delay first ({@code blockConnection}), or a {@code writeConcernError} added after the command ran. Scoped by the
 * client's {@code appName} when the data names one. The shard node and the router each hold one.
 */
public final class FailCommand {
    /** What to do to one command the fail point caught. */
    public record Action(int errorCode, boolean closeConnection, long blockMillis, List<String> errorLabels,
                         Document writeConcernError) {
        public boolean fails() {
            return errorCode != 0;
        }
    }

    private long timesLeft; // -1: no limit
    private long skipLeft;
    private double probability = 1;
    private boolean on;
    private Set<String> commands = Set.of();
    private String appName;
    private boolean internal;
    private Action action;
    private long timesEntered;

    /**
     * {@code configureFailPoint: "failCommand"}: sets the mode and data, and answers as mongod does ({@code count}: how
     * many times the fail point was entered before).
     */
    public synchronized Document configure(Document command) {
        Object mode = command.get("mode");
        Document data = command.get("data") instanceof Document d ? d : new Document();
        // Everything is checked before anything changes: a refused configuration leaves the fail point as it was.
        long times = -1;
        long skip = 0;
        double chance = 1;
        boolean enable;
        if ("off".equals(mode)) {
            enable = false;
        } else if ("alwaysOn".equals(mode)) {
            enable = true;
        } else if (mode instanceof Document m && m.size() == 1) {
            enable = true;
            String kind = m.keySet().iterator().next();
            Object value = m.get(kind);
            if (!(value instanceof Number n) || n.doubleValue() < 0) {
                throw badValue("'" + kind + "' must be a non-negative number");
            }
            switch (kind) {
                case "times" -> times = n.longValue();
                case "skip" -> skip = n.longValue();
                case "activationProbability" -> {
                    if (n.doubleValue() > 1) {
                        throw badValue("activationProbability must be between 0 and 1");
                    }
                    chance = n.doubleValue();
                }
                default -> throw badValue("'mode' must be one of 'off', 'alwaysOn', 'times', 'skip' and 'activationProbability'");
            }
            if (times == 0) {
                enable = false;
            }
        } else {
            throw badValue("'mode' must be one of 'off', 'alwaysOn', 'times', 'skip' and 'activationProbability'");
        }
        if (enable) {
            if (!(data.get("failCommands") instanceof List<?> names) || names.isEmpty()) {
                throw badValue("'data' must have a non-empty array 'failCommands'");
            }
            List<String> caught = new ArrayList<>();
            names.forEach(name -> caught.add(String.valueOf(name)));
            int code = data.get("errorCode") instanceof Number n ? n.intValue() : 0;
            boolean close = Boolean.TRUE.equals(data.get("closeConnection"));
            long block = Boolean.TRUE.equals(data.get("blockConnection")) && data.get("blockTimeMS") instanceof Number n
                ? n.longValue() : 0;
            Document wce = data.get("writeConcernError") instanceof Document w ? w : null;
            if (code == 0 && !close && block == 0 && wce == null) {
                throw badValue("'data' must ask for an errorCode, closeConnection, blockConnection or writeConcernError");
            }
            List<String> labels = null;
            if (data.get("errorLabels") instanceof List<?> given) {
                labels = new ArrayList<>();
                for (Object label : given) {
                    labels.add(String.valueOf(label));
                }
            }
            commands = Set.copyOf(caught);
            appName = data.get("appName") instanceof String a ? a : null;
            internal = Boolean.TRUE.equals(data.get("failInternalCommands"));
            action = new Action(code, close, block, labels, wce);
        }
        on = enable;
        timesLeft = times;
        skipLeft = skip;
        probability = chance;
        long before = timesEntered;
        timesEntered = 0;
        return new Document("count", before).append("ok", 1.0);
    }

    /** The action for this command, or null when the fail point lets it through (and then it does not count). */
    public synchronized Action check(String command, String clientAppName, boolean internalClient) {
        if (!on || !commands.contains(command) || (internalClient && !internal)
            || (appName != null && !appName.equals(clientAppName))) {
            return null;
        }
        if (skipLeft > 0) {
            skipLeft--;
            return null;
        }
        if (probability < 1 && ThreadLocalRandom.current().nextDouble() >= probability) {
            return null;
        }
        timesEntered++;
        if (timesLeft > 0 && --timesLeft == 0) {
            on = false;
        }
        return action;
    }

    /**
     * The error reply for a failing action: the code and its name, mongod's message, and the labels given, or, when
     * none are given, RetryableWriteError for a retryable write failing with a transient code (as mongod adds it).
     */
    public static Document errorReply(Action action, String codeName, boolean retryableWrite, Set<Integer> retryableCodes) {
        Document reply = new Document("ok", 0.0).append("errmsg", "Failing command via 'failCommand' failpoint")
            .append("code", action.errorCode()).append("codeName", codeName);
        if (action.errorLabels() != null) {
            reply.put("errorLabels", action.errorLabels());
        } else if (retryableWrite && retryableCodes.contains(action.errorCode())) {
            reply.put("errorLabels", List.of("RetryableWriteError"));
        }
        return reply;
    }

    private static MongoServerError badValue(String message) {
        return new MongoServerError(2, "BadValue", message);
    }
}
