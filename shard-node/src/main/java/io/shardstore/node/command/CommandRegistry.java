package io.shardstore.node.command;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The node's commands by name (and alias). Names are case-sensitive, as in mongod. */
public final class CommandRegistry {
    private final Map<String, Command> byName = new TreeMap<>();

    public CommandRegistry register(Command command) {
        add(command.name(), command);
        command.aliases().forEach(alias -> add(alias, command));
        return this;
    }

    private void add(String name, Command command) {
        if (byName.putIfAbsent(name, command) != null) {
            throw new IllegalStateException("command registered twice: " + name);
        }
    }

    /** @return the command, or null */
    public Command find(String name) {
        return byName.get(name);
    }

    public Collection<String> names() {
        return byName.keySet();
    }
}
