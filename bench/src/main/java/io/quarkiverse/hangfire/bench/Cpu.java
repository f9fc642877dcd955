package io.quarkiverse.hangfire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (user + system, in clock ticks of 10 ms): a JVM by its
 * pid, the database server as the sum of its processes (one {@code mariadbd}, or every {@code postgres}
 * backend).
 */
final class Cpu {

    private static final long MILLIS_PER_TICK = 10;

    private Cpu() {
    }

    /** CPU milliseconds of one process so far, or 0 when it is gone. */
    static long ofPid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ... utime is field 14 of the line, index 11 here; stime index 12
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU milliseconds so far of a JVM's JIT compiler threads ({@code C1/C2 CompilerThread<n>}), part of
     * {@link #ofPid}: what a measured run spends compiling rather than running, which a warmed-up server no longer does.
     */
    static long jitOfPid(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().matches("C[12] CompilerThre.*")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended: the JVM keeps its compiler threads while compiling, so nothing is lost
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * MILLIS_PER_TICK;
    }

    /** CPU counted from its start: a JVM's (its JIT's too) and the database's. */
    static final class Window {
        private final long pid;
        private final List<String> dbNames;
        private final long jvm;
        private final long jit;
        private final Map<Long, Long> db;

        /** Starts counting the JVM {@code pid} and the database processes {@code dbNames} (null: none, H2). */
        Window(long pid, List<String> dbNames) {
            this.pid = pid;
            this.dbNames = dbNames;
            this.jvm = ofPid(pid);
            this.jit = jitOfPid(pid);
            this.db = database(dbNames);
        }

        /** Milliseconds per 1000 of {@code n} since the start: the JVM, the database, the JVM's JIT threads. */
        double[] per1000(int n) {
            return new double[] { (ofPid(pid) - jvm) * 1000.0 / n, databaseSince(db, dbNames) * 1000.0 / n,
                    (jitOfPid(pid) - jit) * 1000.0 / n };
        }
    }

    /** The pids of processes whose command name is one of {@code names}. */
    static List<Long> pidsNamed(List<String> names) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return names.contains(Files.readString(p.resolve("comm")).trim());
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A snapshot of the database server's processes; null names (H2) measure nothing. */
    static Map<Long, Long> database(List<String> names) {
        Map<Long, Long> snapshot = new HashMap<>();
        if (names != null) {
            for (long pid : pidsNamed(names)) {
                snapshot.put(pid, ofPid(pid));
            }
        }
        return snapshot;
    }

    /** CPU milliseconds the database used between two snapshots (a process that appeared counts in full). */
    static long databaseSince(Map<Long, Long> before, List<String> names) {
        long total = 0;
        for (Map.Entry<Long, Long> now : database(names).entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }
}
