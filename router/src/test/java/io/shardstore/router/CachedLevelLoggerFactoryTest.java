package io.shardstore.router;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/** Netty's loggers answer their levels from a cache, and a level changed in Logback is seen at once. */
class CachedLevelLoggerFactoryTest {

    @Test
    void aLevelChangedInLogbackIsSeenByTheCachedLogger() {
        CachedLevelLoggerFactory.install();
        InternalLogger netty = InternalLoggerFactory.getInstance("io.shardstore.test.cached");
        assertInstanceOf(CachedLevelLoggerFactory.CachedLevelLogger.class, netty);
        Logger logback = (Logger) LoggerFactory.getLogger("io.shardstore.test.cached");
        Level before = logback.getLevel();
        try {
            logback.setLevel(Level.INFO);
            assertFalse(netty.isTraceEnabled());
            assertFalse(netty.isDebugEnabled());
            logback.setLevel(Level.TRACE);
            assertTrue(netty.isTraceEnabled());
            assertTrue(netty.isDebugEnabled());
            logback.setLevel(Level.DEBUG);
            assertFalse(netty.isTraceEnabled());
            assertTrue(netty.isDebugEnabled());
            // A parent's level reaches the child too.
            logback.setLevel(null);
            ((Logger) LoggerFactory.getLogger("io.shardstore.test")).setLevel(Level.TRACE);
            assertTrue(netty.isTraceEnabled());
        } finally {
            ((Logger) LoggerFactory.getLogger("io.shardstore.test")).setLevel(null);
            logback.setLevel(before);
        }
        assertFalse(netty.isTraceEnabled(), "the test configuration's level again");
    }
}
