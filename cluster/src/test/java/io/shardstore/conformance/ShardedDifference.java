package io.shardstore.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test whose expectation holds for an unsharded collection but not, by MongoDB's own rules, for a sharded
 * one (a single-document write without the shard key, a unique index not prefixed by the shard key...),
 * or that meets a documented router limitation. It is skipped, with this reason, when the suite runs
 * through the router with sharded collections; the list doubles as the documented differences.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ShardedDifference {
    String value();
}
