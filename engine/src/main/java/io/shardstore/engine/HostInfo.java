package io.shardstore.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/**
 * hostInfo as mongod 7.0 answers it on Linux, for the node and the router alike: the machine's memory (not the JVM's
 * heap), its cores, architecture as mongod names it ({@code x86_64}, not Java's {@code amd64}), the distribution and
 * kernel, and the CPU (from /proc), with mongod's number types. What this machine does not tell is left out rather
 * than made up.
 */
public final class HostInfo {
    private static final String HOSTNAME = hostname();
    /** Read once: nothing here changes while the process runs, and a reply must not read files on an event loop. */
    private static final Document MACHINE = machine();

    private HostInfo() {
    }

    /** The reply: the machine as read at start, at the current time. */
    public static Document reply() {
        Document reply = MACHINE.cloneDeeply();
        ((Document) reply.get("system")).put("currentTime", Instant.now());
        return reply;
    }

    private static Document machine() {
        long memBytes = physicalMemory();
        int cores = Runtime.getRuntime().availableProcessors();
        String kernel = System.getProperty("os.version");
        Document system = new Document("currentTime", Instant.now()).append("hostname", HOSTNAME)
            .append("cpuAddrSize", "32".equals(System.getProperty("sun.arch.data.model")) ? 32 : 64)
            .append("memSizeMB", memBytes / (1024 * 1024)).append("memLimitMB", memBytes / (1024 * 1024))
            .append("numCores", cores).append("numCoresAvailableToProcess", cores)
            .append("cpuArch", arch()).append("numaEnabled", false);
        String osType = System.getProperty("os.name");
        Document os = new Document("type", osType);
        String distribution = osRelease("NAME");
        if (distribution != null) {
            os.append("name", distribution);
        }
        String version = osRelease("VERSION_ID");
        os.append("version", version != null ? version : kernel);
        Document extra = new Document("versionString", procVersion(osType + " version " + kernel))
            .append("kernelVersion", kernel);
        String model = cpuInfo("model name");
        if (model != null) {
            extra.append("cpuString", model);
        }
        String mhz = cpuInfo("cpu MHz");
        if (mhz != null) {
            extra.append("cpuFrequencyMHz", mhz);
        }
        String flags = cpuInfo("flags");
        if (flags != null) {
            extra.append("cpuFeatures", flags);
        }
        extra.append("pageSize", 4096L).append("numPages", (int) Math.min(Integer.MAX_VALUE, memBytes / 4096));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            extra.append("maxOpenFiles", (int) Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount()));
        }
        return new Document("system", system).append("os", os).append("extra", extra).append("ok", 1.0);
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }

    private static String osRelease(String key) {
        for (String line : lines("/etc/os-release")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).replace("\"", "");
            }
        }
        return null;
    }

    private static String procVersion(String fallback) {
        List<String> lines = lines("/proc/version");
        return lines.isEmpty() ? fallback : lines.get(0).trim();
    }

    private static String cpuInfo(String key) {
        for (String line : lines("/proc/cpuinfo")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
