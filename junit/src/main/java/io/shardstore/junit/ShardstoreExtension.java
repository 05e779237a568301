package io.shardstore.junit;

import java.lang.reflect.Parameter;
import java.util.concurrent.atomic.AtomicInteger;

import org.bson.Document;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import io.shardstore.cluster.LocalCluster;

/**
 * What {@link ShardstoreCluster} does: one cluster per annotated class, kept in the class's extension store (closed
 * with it), and the parameters it resolves. A {@link MongoDatabase} parameter is a database of its own for each test,
 * named after the test and dropped after it, so tests of one class do not see each other's data.
 */
public final class ShardstoreExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ShardstoreExtension.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        running(context);
    }

    /** The class's cluster, started on first use. */
    private static Running running(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> start(classContext), Running.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static Running start(ExtensionContext context) {
        ShardstoreCluster shape = context.getRequiredTestClass().getAnnotation(ShardstoreCluster.class);
        if (shape == null) {
            throw new ExtensionConfigurationException("ShardstoreExtension needs @ShardstoreCluster on " + context.getRequiredTestClass());
        }
        try {
            LocalCluster cluster = LocalCluster.builder().shards(shape.shards()).members(shape.members())
                .configMembers(shape.configMembers()).start();
            MongoClient client = MongoClients.create(cluster.uri());
            Running running = new Running(cluster, client);
            for (String spec : shape.shardedCollections()) {
                running.shard(spec);
            }
            return running;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ExtensionConfigurationException("could not start the cluster: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == ConnectionString.class || type == MongoClient.class || type == LocalCluster.class || type == MongoDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Running running = running(extensionContext);
        Parameter p = parameterContext.getParameter();
        if (p.getType() == ConnectionString.class) {
            return new ConnectionString(running.cluster.uri());
        }
        if (p.getType() == MongoClient.class) {
            return running.client;
        }
        if (p.getType() == LocalCluster.class) {
            return running.cluster;
        }
        if (extensionContext.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a MongoDatabase is made for each test: take it in a test method");
        }
        String name = ("t" + DATABASES.incrementAndGet() + "_" + extensionContext.getRequiredTestMethod().getName()).replaceAll("[^A-Za-z0-9_]", "_");
        MongoDatabase db = running.client.getDatabase(name.length() > 60 ? name.substring(0, 60) : name);
        extensionContext.getStore(NAMESPACE).put(MongoDatabase.class, db);
        return db;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MongoDatabase db = context.getStore(NAMESPACE).remove(MongoDatabase.class, MongoDatabase.class);
        if (db != null) {
            db.drop();
        }
    }

    /** A started cluster and a client of its router, closed with the class's store. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final LocalCluster cluster;
        final MongoClient client;

        Running(LocalCluster cluster, MongoClient client) {
            this.cluster = cluster;
            this.client = client;
        }

        /** "db.coll={key}": enableSharding and shardCollection, as a user would run them. */
        void shard(String spec) {
            int eq = spec.indexOf('=');
            int dot = spec.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq) {
                throw new ExtensionConfigurationException("shardedCollections entries are db.collection={key}, not " + spec);
            }
            String ns = spec.substring(0, eq).trim();
            Document key = Document.parse(spec.substring(eq + 1));
            client.getDatabase("admin").runCommand(new Document("enableSharding", ns.substring(0, dot)));
            client.getDatabase("admin").runCommand(new Document("shardCollection", ns).append("key", key));
        }

        @Override
        public void close() {
            client.close();
            cluster.close();
        }
    }
}
