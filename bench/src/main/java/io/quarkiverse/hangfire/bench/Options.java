package io.quarkiverse.hangfire.bench;

import java.util.HashMap;
import java.util.Map;

/** The command-line options of the benchmark, {@code --name=value}, with their defaults. */
final class Options {

    final Map<String, String> values = new HashMap<>();

    Options(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Options are --name=value, not " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
    }

    int integer(String name, int defaultValue) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : defaultValue;
    }

    String text(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    // the scenarios and their sizes
    String db() { return text("db", "mariadb"); }
    String only() { return text("only", "ceilings,enqueue,batch,drain,pickup,remote-pickup,scheduled"); }
    int runs() { return integer("runs", 3); }
    int drainJobs() { return integer("drain-jobs", 20_000); }
    /** Jobs drained before the measured runs of a drain, until the JIT has compiled the hot path (see Driver.drain). */
    int drainWarmUpJobs() { return integer("drain-warm-up-jobs", 100_000); }
    int singleEnqueues() { return integer("single-enqueues", 2_000); }
    int threadedEnqueues() { return integer("threaded-enqueues", 4_000); }
    int enqueueThreads() { return integer("enqueue-threads", 8); }
    int batchEnqueues() { return integer("batch-enqueues", 20_000); }
    int enqueueBatch() { return integer("enqueue-batch", 1_000); }
    /** The jobs of the batch scenario: one call creating them all, enqueueAll beside batch. */
    int batchJobs() { return integer("batch-jobs", 100_000); }
    int pickupSeconds() { return integer("pickup-seconds", 30); }
    int pickupIntervalMillis() { return integer("pickup-interval-ms", 20); }
    int scheduledJobs() { return integer("scheduled-jobs", 1_000); }
    int scheduledSpreadSeconds() { return integer("scheduled-spread-s", 10); }
    int ceilingInserts() { return integer("ceiling-inserts", 2_000); }
    int ceilingQueue() { return integer("ceiling-queue", 20_000); }
    // the growth curve (--only=growth), see Growth
    String growthSizes() { return text("growth-sizes", "0,100000,1000000"); }
    int growthScheduled() { return integer("growth-scheduled", 100_000); }
    int growthDrainJobs() { return integer("growth-drain-jobs", drainJobs()); }
    int growthEnqueues() { return integer("growth-enqueues", singleEnqueues()); }
    int growthDashboardCalls() { return integer("growth-dashboard-calls", 20); }

    // the tuning knobs of the server processes; empty means the extension's default
    String workers() { return text("workers", ""); }
    String pollInterval() { return text("poll-interval", ""); }
    String fetchBatch() { return text("fetch-batch", ""); }
    String poolSize() { return text("pool-size", ""); }
}
