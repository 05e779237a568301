package io.shardstore.protocol;

import java.util.List;
import java.util.Set;

/**
 * The {@code --setParameter name=value} options a node and the router take at start, as mongod and mongos do:
 * {@code enableTestCommands} (test commands such as configureFailPoint) on both, {@code ttlMonitorSleepSecs} (how often
 * expired documents of TTL indexes are deleted) on a node. Any other name is refused at start, as mongod refuses an
 * unknown parameter, rather than ignored.
 */
public final class SetParameters {
    /** The TTL monitor's default period, mongod's; in-JVM tests may set {@code -Dshardstore.ttlMonitorSleepSecs}. */
    public static final int DEFAULT_TTL_MONITOR_SLEEP_SECS = Integer.getInteger("shardstore.ttlMonitorSleepSecs", 60);

    /** The parameters given (defaults for the rest). */
    public record Values(boolean testCommands, int ttlMonitorSleepSecs) {
    }

    private SetParameters() {
    }

    /** Parses {@code given} for a server that knows {@code known}; IllegalArgumentException for anything else. */
    public static Values parse(List<String> given, Set<String> known) {
        boolean testCommands = false;
        int ttl = DEFAULT_TTL_MONITOR_SLEEP_SECS;
        for (String parameter : given == null ? List.<String>of() : given) {
            int eq = parameter.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--setParameter takes name=value, not '" + parameter + "'");
            }
            String name = parameter.substring(0, eq);
            String value = parameter.substring(eq + 1);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("Unknown --setParameter '" + name + "' (known here: " + String.join(", ", known) + ")");
            }
            switch (name) {
                case "enableTestCommands" -> testCommands = switch (value) {
                    case "1", "true" -> true;
                    case "0", "false" -> false;
                    default -> throw new IllegalArgumentException("enableTestCommands takes 1, 0, true or false, not '" + value + "'");
                };
                case "ttlMonitorSleepSecs" -> {
                    try {
                        ttl = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        ttl = 0;
                    }
                    if (ttl < 1) {
                        throw new IllegalArgumentException("ttlMonitorSleepSecs takes a whole number of seconds, at least 1, not '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("Unknown --setParameter '" + name + "'");
            }
        }
        return new Values(testCommands, ttl);
    }
}
