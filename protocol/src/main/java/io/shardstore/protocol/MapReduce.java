package io.shardstore.protocol;

/**
 * mapReduce is a MongoDB 7.0 command (deprecated since 5.0), but its map and reduce functions are JavaScript, which
 * neither the router nor the nodes execute. It was answered CommandNotFound (59), as if MongoDB had no such command;
 * it is refused with NotImplemented (238) and a message that points to the aggregation pipeline, MongoDB's own
 * replacement for it.
 */
public final class MapReduce {
    public static final String COMMAND = "mapReduce";
    public static final String REFUSED = "mapReduce is not supported by this cluster: its map and reduce functions are "
        + "JavaScript, which this server does not run. Use an aggregation pipeline instead ($group, $project, then $out "
        + "or $merge for the output collection), as MongoDB recommends since 5.0.";

    private MapReduce() {
    }
}
