package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Flow control guarantees that hold across servers, with real processes on one database: unique keys created by
 * racing instances, and a rate limit shared by two servers.
 */
class FlowControlIT {

    static final int KEYS = 50, THREADS = 8, ROUNDS = 20;
    static final int RATED = 600, PER_SECOND = 20;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoProcessesRacingForTheSameKeysCreateOneJobPerKey() throws Exception {
        try (Cluster cluster = Cluster.create("FlowControlIT-unique")) {
            List<AppProcess> apps = cluster.start(List.of(cluster.settings(), cluster.settings()));
            // the jobs must not start, or their keys would be free again
            apps.get(0).send("POST", "/cluster/queues/default/pause");
            String query = "/cluster/unique?keys=" + KEYS + "&threads=" + THREADS + "&rounds=" + ROUNDS;
            long started = System.nanoTime();
            List<CompletableFuture<List<String>>> calls = new ArrayList<>();
            for (AppProcess app : apps) {
                calls.add(CompletableFuture.supplyAsync(() -> app.sendForList("POST", query)));
            }
            List<String> results = new ArrayList<>();
            for (CompletableFuture<List<String>> call : calls) {
                results.addAll(call.get());
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            Set<Long> stored = new HashSet<>(cluster.db.jobIdsNamed("ClusterJobs.unique"));
            Set<Long> created = new HashSet<>();
            Set<Long> returned = new HashSet<>();
            int createdCalls = 0;
            for (String result : results) {
                long id = Long.parseLong(result.substring(0, result.indexOf(':')));
                returned.add(id);
                if (result.endsWith(":true")) {
                    createdCalls++;
                    created.add(id);
                }
            }
            System.out.printf("[cluster] FlowControlIT: 2 processes x %d threads x %d keys x %d rounds = %d unique"
                    + " enqueues in %d ms: %d jobs stored, %d calls created one%n", THREADS, KEYS, ROUNDS, results.size(),
                    millis, stored.size(), createdCalls);
            assertThat(results).hasSize(2 * THREADS * KEYS * ROUNDS);
            assertThat(stored).hasSize(KEYS);
            assertThat(createdCalls).isEqualTo(KEYS);
            assertThat(created).isEqualTo(stored);
            assertThat(returned).isEqualTo(stored);

            apps.get(1).send("POST", "/cluster/queues/default/resume");
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.db.countsByState().getOrDefault("SUCCEEDED", 0L) == KEYS);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void twoServersShareOneRateLimit() throws Exception {
        try (Cluster cluster = Cluster.create("FlowControlIT-rate")) {
            List<AppProcess> apps = cluster.start(List.of(cluster.settings(), cluster.settings()));
            apps.get(0).send("POST", "/cluster/queues/default/pause");
            apps.get(0).sendForList("POST", "/cluster/rated?count=" + RATED / 2);
            apps.get(1).sendForList("POST", "/cluster/rated?count=" + RATED / 2);
            long started = System.nanoTime();
            apps.get(1).send("POST", "/cluster/queues/default/resume");
            await().atMost(Duration.ofSeconds(RATED / PER_SECOND + 60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.db.countsByState().getOrDefault("SUCCEEDED", 0L) == RATED);
            double seconds = (System.nanoTime() - started) / 1e9;
            List<Instant> starts = cluster.db.processingTimes("ClusterJobs.rated");
            int most = mostWithin(starts, Duration.ofSeconds(1));
            Map<Long, Long> byServer = cluster.db.executionsByPid();
            System.out.printf("[cluster] FlowControlIT: %d jobs at %d/s on 2 servers finished in %.1f s (the limit"
                    + " implies %d s); the busiest one-second window held %d starts; runs per process %s%n", RATED,
                    PER_SECOND, seconds, RATED / PER_SECOND, most, byServer.values());
            assertThat(starts).hasSize(RATED);
            assertThat(most).isLessThanOrEqualTo(PER_SECOND);
            // the limit allows 600 starts in a little over 29 s: a few seconds more for the last runs and the polls
            assertThat(seconds).isLessThan(RATED / PER_SECOND + 8);
            assertThat(byServer).hasSize(2);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aTimedPauseStopsEveryServerAndLiftsItselfWhileClaimedJobsFinish() throws Exception {
        try (Cluster cluster = Cluster.create("FlowControlIT-pause")) {
            List<AppProcess> apps = cluster.start(List.of(cluster.settings(), cluster.settings()));
            int count = 200;
            apps.get(0).enqueue(count, List.of(300L), null);
            Thread.sleep(1000);
            Instant until = Instant.now().plusSeconds(3);
            apps.get(1).send("POST", "/cluster/queues/default/pause?until=" + until);
            Instant paused = Instant.now();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.db.countsByState().getOrDefault("SUCCEEDED", 0L) == count);
            List<Instant> claims = cluster.db.processingTimes("ClusterJobs.work");
            long duringPause = claims.stream().filter(t -> t.isAfter(paused) && t.isBefore(until)).count();
            Instant firstAfter = claims.stream().filter(t -> !t.isBefore(until)).min(Instant::compareTo).orElseThrow();
            long before = claims.stream().filter(t -> !t.isAfter(paused)).count();
            List<ClusterDatabase.Execution> runs = cluster.db.executions();
            System.out.printf("[cluster] FlowControlIT: %d jobs of 300 ms on 2 servers, paused for 3 s after %d claims:"
                    + " %d claims during the pause, the first after it %d ms after its end%n", count, before, duringPause,
                    Duration.between(until, firstAfter).toMillis());
            assertThat(before).as("claimed before the pause").isPositive().isLessThan(count);
            assertThat(duringPause).isZero();
            assertThat(Duration.between(until, firstAfter)).isLessThan(Duration.ofSeconds(1));
            // the jobs claimed before the pause ran to their end, once each
            assertThat(runs).hasSize(count);
            assertThat(runs).allMatch(r -> r.attempt() == 1 && r.endedAt() != null && !Boolean.TRUE.equals(r.cancelled()));
        }
    }

    /** The most instants that one span of {@code window} (both ends included) holds. */
    static int mostWithin(List<Instant> instants, Duration window) {
        List<Instant> sorted = new ArrayList<>(instants);
        Collections.sort(sorted);
        int most = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (Duration.between(sorted.get(j), sorted.get(i)).compareTo(window) > 0) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }
}
