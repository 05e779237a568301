package io.shardstore.bench.run;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The live progress line. On a terminal one line is rewritten in place (carriage return); otherwise (CI, a
 * test's output file) a line is printed at most every few seconds so logs stay readable.
 */
public final class Progress {
    private static final long PLAIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private String section = "";
    private long lastPlain;
    private int lastWidth;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public static Progress console() {
        return new Progress(System.out, System.console() != null);
    }

    public synchronized void section(String name) {
        section = name;
        clear();
        out.println("== " + name + "  (" + elapsed() + " elapsed)");
    }

    /** Updates the live line. */
    public synchronized void update(String status) {
        String line = "[" + elapsed() + "] " + section + " | " + status;
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else if (System.nanoTime() - lastPlain > PLAIN_INTERVAL_NANOS) {
            out.println(line);
            lastPlain = System.nanoTime();
        }
    }

    /** A line that stays (a finished slice, a result). */
    public synchronized void note(String text) {
        clear();
        out.println("   " + text);
    }

    private void clear() {
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
    }

    public String elapsed() {
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
