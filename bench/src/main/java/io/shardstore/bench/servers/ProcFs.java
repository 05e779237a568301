package io.shardstore.bench.servers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Linux says about a process (by pid): CPU time from {@code /proc/<pid>/stat}, resident memory from
 * {@code /proc/<pid>/status}, and its TCP connections to a port from {@code /proc/<pid>/fd} joined with
 * {@code /proc/net/tcp[6]}. Measured from outside, so it needs nothing from the process itself.
 */
public final class ProcFs {
    /** USER_HZ: the unit of utime/stime. 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** utime + stime in nanoseconds, or -1 when the process is gone. */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** System (kernel) CPU time alone, in nanoseconds, or -1: syscalls, wakeups and socket work show up here. */
    public static long systemCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Context switches of all the process's threads so far (voluntary + involuntary, summed over /proc/pid/task/*):
     * every hand-off of work to a sleeping thread costs one; -1 when unreadable.
     */
    public static long contextSwitches(long pid) {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /**
     * CPU (user + system, nanoseconds) of the process's threads whose name (/proc/pid/task/tid/comm) passes
     * {@code name}, summed; -1 when unreadable. A thread that ended between two reads drops out of the sum, so the
     * figures are for long-lived threads (event loops, compilers).
     */
    public static long threadCpuNanos(long pid, java.util.function.Predicate<String> name) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (!name.test(Files.readString(task.resolve("comm")).trim())) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** A field of /proc/pid/status in bytes (VmRSS: resident now, VmHWM: peak resident), or -1. */
    public static long statusBytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // reported in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    public static long rssBytes(long pid) {
        return statusBytes(pid, "VmRSS");
    }

    /** Established TCP connections that process {@code pid} holds to {@code remotePort} (IPv4 or IPv6 sockets). */
    public static int connectionsTo(long pid, int remotePort) {
        Set<String> inodes = socketInodes(pid);
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (int i = 1; i < lines.size(); i++) {
                    String[] f = lines.get(i).trim().split("\\s+");
                    // f[2] rem_address "HEX:PORT", f[3] state (01 = ESTABLISHED), f[9] inode
                    if (f.length > 9 && f[3].equals("01") && portOf(f[2]) == remotePort && inodes.contains(f[9])) {
                        n++;
                    }
                }
            } catch (IOException e) {
                // no IPv6 table: nothing to count there
            }
        }
        return n;
    }

    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        out.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed while we listed
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
