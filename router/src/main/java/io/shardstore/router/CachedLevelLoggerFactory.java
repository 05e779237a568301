package io.shardstore.router;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

/**
 * Netty's loggers for the router process, with their trace and debug levels cached until Logback's levels change.
 * <p>
 * Netty's io_uring transport asks its logger {@code isTraceEnabled()} for every submission-queue entry, several per
 * request, and each answer went through SLF4J into Logback's turbo-filter check: 3 % of the router's event loops'
 * user time on targeted updates (decision 0016). Here the answer is one field, read again only after Logback reports a
 * level change or a reset ({@link LoggerContextListener}), so a reconfiguration still takes effect at once. Under
 * another SLF4J binding, whose level changes nothing reports, Netty's own factory stays.
 */
public final class CachedLevelLoggerFactory extends InternalLoggerFactory {
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    /** Bumped on every level change or reset in Logback: each logger's cached levels carry the generation they saw. */
    private static volatile int generation;

    @SuppressWarnings("deprecation") // its public constructor is the only way to its public newInstance
    private final Slf4JLoggerFactory slf4j = new Slf4JLoggerFactory();

    private CachedLevelLoggerFactory() {
    }

    /**
     * Makes this Netty's logger factory, once per process, before the transport's classes create their loggers (call it
     * first thing in a main method). A logger Netty created before keeps asking Logback, which is only slower.
     */
    public static void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context) || !INSTALLED.compareAndSet(false, true)) {
            return;
        }
        context.addListener(new Invalidation());
        InternalLoggerFactory.setDefaultFactory(new CachedLevelLoggerFactory());
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new CachedLevelLogger(slf4j.newInstance(name));
    }

    /** Logback's word that some level may have changed: every cached answer is stale. */
    private static final class Invalidation implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true; // a reset (a new configuration) is exactly when the levels change
        }

        @Override
        public void onStart(LoggerContext context) {
            generation++;
        }

        @Override
        public void onReset(LoggerContext context) {
            generation++;
        }

        @Override
        public void onStop(LoggerContext context) {
            generation++;
        }

        @Override
        public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
            generation++;
        }
    }

    /** Answers isTraceEnabled and isDebugEnabled from the cache; everything else is the SLF4J logger's. */
    static final class CachedLevelLogger extends AbstractInternalLogger {
        private static final int TRACE = 1;
        private static final int DEBUG = 2;
        private final InternalLogger delegate;
        /** The generation seen (shifted left by 2) and the two levels, in one field so a reader never mixes two states. */
        private int state = -1;

        CachedLevelLogger(InternalLogger delegate) {
            super(delegate.name());
            this.delegate = delegate;
        }

        private int state() {
            int s = state;
            int now = generation;
            if (s >>> 2 == (now & 0x3fffffff)) {
                return s;
            }
            s = (now & 0x3fffffff) << 2 | (delegate.isTraceEnabled() ? TRACE : 0) | (delegate.isDebugEnabled() ? DEBUG : 0);
            state = s;
            return s;
        }

        @Override
        public boolean isTraceEnabled() {
            return (state() & TRACE) != 0;
        }

        @Override
        public boolean isDebugEnabled() {
            return (state() & DEBUG) != 0;
        }

        @Override
        public void trace(String msg) {
            if (isTraceEnabled()) {
                delegate.trace(msg);
            }
        }

        @Override
        public void trace(String format, Object arg) {
            if (isTraceEnabled()) {
                delegate.trace(format, arg);
            }
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
            if (isTraceEnabled()) {
                delegate.trace(format, argA, argB);
            }
        }

        @Override
        public void trace(String format, Object... arguments) {
            if (isTraceEnabled()) {
                delegate.trace(format, arguments);
            }
        }

        @Override
        public void trace(String msg, Throwable t) {
            if (isTraceEnabled()) {
                delegate.trace(msg, t);
            }
        }

        @Override
        public void debug(String msg) {
            if (isDebugEnabled()) {
                delegate.debug(msg);
            }
        }

        @Override
        public void debug(String format, Object arg) {
            if (isDebugEnabled()) {
                delegate.debug(format, arg);
            }
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
            if (isDebugEnabled()) {
                delegate.debug(format, argA, argB);
            }
        }

        @Override
        public void debug(String format, Object... arguments) {
            if (isDebugEnabled()) {
                delegate.debug(format, arguments);
            }
        }

        @Override
        public void debug(String msg, Throwable t) {
            if (isDebugEnabled()) {
                delegate.debug(msg, t);
            }
        }

        @Override
        public boolean isInfoEnabled() {
            return delegate.isInfoEnabled();
        }

        @Override
        public void info(String msg) {
            delegate.info(msg);
        }

        @Override
        public void info(String format, Object arg) {
            delegate.info(format, arg);
        }

        @Override
        public void info(String format, Object argA, Object argB) {
            delegate.info(format, argA, argB);
        }

        @Override
        public void info(String format, Object... arguments) {
            delegate.info(format, arguments);
        }

        @Override
        public void info(String msg, Throwable t) {
            delegate.info(msg, t);
        }

        @Override
        public boolean isWarnEnabled() {
            return delegate.isWarnEnabled();
        }

        @Override
        public void warn(String msg) {
            delegate.warn(msg);
        }

        @Override
        public void warn(String format, Object arg) {
            delegate.warn(format, arg);
        }

        @Override
        public void warn(String format, Object... arguments) {
            delegate.warn(format, arguments);
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            delegate.warn(format, argA, argB);
        }

        @Override
        public void warn(String msg, Throwable t) {
            delegate.warn(msg, t);
        }

        @Override
        public boolean isErrorEnabled() {
            return delegate.isErrorEnabled();
        }

        @Override
        public void error(String msg) {
            delegate.error(msg);
        }

        @Override
        public void error(String format, Object arg) {
            delegate.error(format, arg);
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            delegate.error(format, argA, argB);
        }

        @Override
        public void error(String format, Object... arguments) {
            delegate.error(format, arguments);
        }

        @Override
        public void error(String msg, Throwable t) {
            delegate.error(msg, t);
        }
    }
}
