package io.shardstore.protocol;

import java.util.List;

/**
 * The {@code --setParameter name=value} options a node and the router take at start, as mongod and mongos do. The one
 * known here is {@code enableTestCommands} (test commands such as configureFailPoint); any other name is refused at
 * start, as mongod refuses an unknown parameter, rather than ignored.
 */
public final class SetParameters {

    private SetParameters() {
    }

    /** Whether {@code enableTestCommands} is on; IllegalArgumentException for an unknown or malformed parameter. */
    public static boolean testCommands(List<String> given) {
        boolean enabled = false;
        for (String parameter : given == null ? List.<String>of() : given) {
            int eq = parameter.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--setParameter takes name=value, not '" + parameter + "'");
            }
            String name = parameter.substring(0, eq);
            String value = parameter.substring(eq + 1);
            if (!name.equals("enableTestCommands")) {
                throw new IllegalArgumentException("Unknown --setParameter '" + name + "' (known here: enableTestCommands)");
            }
            enabled = switch (value) {
                case "1", "true" -> true;
                case "0", "false" -> false;
                default -> throw new IllegalArgumentException("enableTestCommands takes 1, 0, true or false, not '" + value + "'");
            };
        }
        return enabled;
    }
}
