package io.quarkiverse.hangfire.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.server.ClaimedJob;
import io.quarkiverse.hangfire.runtime.server.ServerTransactions;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.LoopConnection;

/**
 * The drain's storage transactions alone: the claims and completions of a server, made by the extension's own
 * {@link ServerTransactions} (its SQL, its state machine) from two threads of the driver, one claiming fetch batches
 * and one recording their successes, with no worker, dispatcher or outcome writer between them and no job run. What
 * the storage layout itself allows on this database: the server's drain divided by this figure is the share the
 * rest of the server keeps, and this figure divided by ceiling (c) what the job rows cost beside a bare queue table.
 * It must run while no server process is up: its claims carry an owner that no server renews.
 */
final class StorageDrain {

    private static final String QUEUE = "default";

    private final ServerTransactions storage;
    private final int fetchBatch;
    private final String owner = "bench-storage-drain:" + ProcessHandle.current().pid();

    StorageDrain(ServerTransactions storage, int fetchBatch) {
        this.storage = storage;
        this.fetchBatch = fetchBatch;
    }

    /**
     * Drains the Enqueued jobs of the default queue, all of them already committed; returns how many it drained and
     * the seconds from the first claim to the last completion's commit.
     */
    double[] drain() throws Exception {
        BlockingQueue<List<ClaimedJob>> claimed = new LinkedBlockingQueue<>();
        ExecutorService completer = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        try {
            Future<Integer> completed = completer.submit(() -> complete(claimed));
            LoopConnection claims = new LoopConnection();
            try {
                while (true) {
                    // the lease of a server that renews nothing: long enough for any run of this scenario
                    List<ClaimedJob> jobs = storage.claim(claims, owner, List.of(QUEUE), fetchBatch,
                            Instant.now().plus(Duration.ofMinutes(10)));
                    claimed.put(jobs);
                    if (jobs.isEmpty()) {
                        break;
                    }
                }
            } finally {
                claims.release();
            }
            int n = completed.get();
            return new double[] { n, (System.nanoTime() - start) / 1e9 };
        } finally {
            completer.shutdownNow();
        }
    }

    /** Records the success of each claimed batch in one transaction, with the data a worker's success carries. */
    private int complete(BlockingQueue<List<ClaimedJob>> claimed) throws InterruptedException {
        LoopConnection completions = new LoopConnection();
        int n = 0;
        try {
            for (List<ClaimedJob> jobs = claimed.take(); !jobs.isEmpty(); jobs = claimed.take()) {
                Instant now = Instant.now();
                List<ServerTransactions.Outcome> outcomes = new ArrayList<>(jobs.size());
                for (ClaimedJob job : jobs) {
                    Map<String, String> data = Map.of("duration", "0", "latency",
                            Long.toString(Duration.between(job.enqueuedAt(), now).toMillis()), "server", owner);
                    outcomes.add(new ServerTransactions.Outcome(job,
                            Transition.to(job.job(), JobState.SUCCEEDED, null).withData(data)));
                }
                n += storage.complete(completions, owner, outcomes);
            }
        } finally {
            completions.release();
        }
        return n;
    }
}
