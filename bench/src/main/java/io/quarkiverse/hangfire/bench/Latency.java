package io.quarkiverse.hangfire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.quarkiverse.hangfire.JobScheduler;
import jakarta.transaction.TransactionManager;

/**
 * The latency scenarios: probes enqueued at a steady rate, each timed from its commit to the start of its job
 * method. The commit time is taken just before COMMIT is sent, so the latency includes the commit itself.
 */
final class Latency {

    private final JobScheduler jobs;
    private final TransactionManager transactions;
    private long seq;

    Latency(JobScheduler jobs, TransactionManager transactions, long firstSeq) {
        this.jobs = jobs;
        this.transactions = transactions;
        this.seq = firstSeq;
    }

    /** Enqueues one probe every {@code intervalMillis} for {@code seconds}; returns seq to commit time (µs). */
    Map<Long, Long> enqueueSteadily(int seconds, int intervalMillis) throws Exception {
        Map<Long, Long> commits = new LinkedHashMap<>();
        long interval = intervalMillis * 1_000_000L;
        long next = System.nanoTime();
        long end = next + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long s = ++seq;
            transactions.begin();
            jobs.enqueue(BenchJobs.class, j -> j.probe(s));
            long committing = Probes.nowMicros();
            transactions.commit();
            commits.put(s, committing);
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        return commits;
    }

    /** Milliseconds from due (or commit) time to start; waits up to 10 s for the starts to arrive. */
    static List<Double> latencies(Map<Long, Long> dueMicros, Supplier<Map<Long, Long>> starts) {
        long deadline = System.currentTimeMillis() + 10_000;
        Map<Long, Long> seen = starts.get();
        while (!seen.keySet().containsAll(dueMicros.keySet()) && System.currentTimeMillis() < deadline) {
            sleep(100);
            Map<Long, Long> more = starts.get();
            more.forEach(seen::putIfAbsent);
        }
        List<Double> result = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<Long, Long> due : dueMicros.entrySet()) {
            Long start = seen.get(due.getKey());
            if (start == null) {
                missing++;
            } else {
                result.add((start - due.getValue()) / 1000.0);
            }
        }
        if (missing > 0) {
            System.out.println("  warning: " + missing + " probe(s) did not start within 10 s; left out");
        }
        return result;
    }

    /** The pickup-local child: a warm-up, then the runs, each run's latencies written to {@code out}. */
    void localChild(Options o, Path out) throws Exception {
        sleep(2000);
        enqueueSteadily(3, o.pickupIntervalMillis());
        sleep(1000);
        Probes.takeLocal();
        StringBuilder lines = new StringBuilder();
        for (int run = 0; run < o.runs(); run++) {
            Map<Long, Long> commits = enqueueSteadily(o.pickupSeconds(), o.pickupIntervalMillis());
            Map<Long, Long> starts = new java.util.HashMap<>();
            for (double latency : latencies(commits, () -> {
                starts.putAll(Probes.takeLocal());
                return new java.util.HashMap<>(starts);
            })) {
                lines.append(run).append(' ').append(latency).append('\n');
            }
        }
        Files.writeString(out, lines);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
