package io.shardstore.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a sharded cluster in this JVM (router, config server, shards: no Docker, no MongoDB binaries) once for the
 * annotated test class and stops it after the class. Test methods, constructors and lifecycle methods take what they
 * need as parameters: a {@link com.mongodb.ConnectionString} or {@link com.mongodb.client.MongoClient} of the router,
 * the {@link io.shardstore.cluster.LocalCluster} itself, or a {@link com.mongodb.client.MongoDatabase} that is new for
 * each test and dropped after it.
 *
 * <pre>
 * &#64;ShardstoreCluster(shards = 2, shardedCollections = "shop.orders={customerId: 'hashed'}")
 * class OrdersTest {
 *     &#64;Test
 *     void storesAnOrder(MongoClient client) { ... }
 * }
 * </pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ShardstoreExtension.class)
public @interface ShardstoreCluster {

    /** Shards in the cluster. */
    int shards() default 2;

    /** Members of each shard's replica set; 1 starts single-node shards (faster to start). */
    int members() default 1;

    /** Members of the config server's replica set; 1 starts a single config server. */
    int configMembers() default 1;

    /**
     * Collections sharded before the first test, each as {@code db.collection={key}} with the key as JSON, e.g.
     * {@code "shop.orders={customerId: 'hashed'}"} or {@code "shop.events={day: 1, seq: 1}"}.
     */
    String[] shardedCollections() default {};
}
