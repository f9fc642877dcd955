package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two servers lose their database (through a proxy that is cut) for longer than the lease timeout, in the middle
 * of a few thousand jobs (every other one transactional), then get it back. They must finish every job without running
 * one twice at once, say so in their log once per background loop rather than once per attempt, keep working
 * afterwards, and leave exactly one row in {@code it_effect} per transactional job.
 */
class DatabaseOutageIT {

    static final int JOBS = 3000;
    static final List<Long> SLEEPS = List.of(2L, 5L, 10L, 20L, 40L);
    static final int JOBS_AFTER = 200;
    /** Longer than the lease timeout: every lease runs out during the outage. */
    static final Duration OUTAGE = Duration.ofSeconds(8);

    static final Pattern FAILED = Pattern.compile(
            "Hangfire (.+) failed; retrying in the background until the database answers again");
    static final Pattern RECOVERED = Pattern.compile("Hangfire (.+) works again");

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void serversRideOutADatabaseOutage() throws Exception {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.create("DatabaseOutageIT")) {
            ClusterDatabase db = cluster.db;
            DatabaseProxy proxy = cluster.proxy();
            String throughProxy = db.urlThrough(proxy.address());
            List<AppProcess> apps = cluster.start(List.of(cluster.settings(throughProxy), cluster.settings(throughProxy)));
            assertThat(OUTAGE).isGreaterThan(Cluster.LEASE_TIMEOUT);

            // every other job is transactional: it inserts one row into it_effect in its transaction
            List<Long> transactional = JobsDatabase.everyNth(apps.get(0).enqueue(JOBS, SLEEPS, null, 2, false), 2);
            await("both processes running jobs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<Long, Long> runs = db.executionsByPid();
                        return apps.stream().allMatch(app -> runs.getOrDefault(app.pid(), 0L) >= 100);
                    });

            Map<String, Long> statesAtCut = db.countsByState();
            assertThat(apps).as("ready before the outage").allSatisfy(app -> assertThat(app.readiness()).isEqualTo(200));
            int connectionsCut = proxy.cut();
            // readiness must notice the outage by itself, while it lasts
            long outageEnd = System.nanoTime() + OUTAGE.toNanos();
            Map<String, Double> notReadyAfter = new TreeMap<>();
            while (System.nanoTime() < outageEnd) {
                for (AppProcess app : apps) {
                    if (!notReadyAfter.containsKey(app.name) && app.readiness() == 503) {
                        notReadyAfter.put(app.name, (OUTAGE.toNanos() - (outageEnd - System.nanoTime())) / 1e9);
                    }
                }
                Thread.sleep(Math.max(0, Math.min(200, (outageEnd - System.nanoTime()) / 1_000_000)));
            }
            boolean answeredDuringOutage = apps.stream().allMatch(AppProcess::answers);
            Map<Long, Long> runsAtRestore = db.executionsByPid();
            proxy.restore();
            Instant restoredAt = Instant.now();
            await("ready again after the outage").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> apps.stream().allMatch(app -> app.readiness() == 200));
            double readyAgainAfter = Duration.between(restoredAt, Instant.now()).toMillis() / 1000.0;

            await("every job Succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> db.countsByState().equals(Map.of("SUCCEEDED", (long) JOBS)));
            double drained = Duration.between(restoredAt, Instant.now()).toMillis() / 1000.0;

            // still alive, and still working: new jobs enqueued through each process run
            for (AppProcess app : apps) {
                assertThat(app.isAlive()).as("%s alive", app).isTrue();
                app.enqueue(JOBS_AFTER, SLEEPS, null);
            }
            int total = JOBS + JOBS_AFTER * apps.size();
            await("jobs enqueued after the outage Succeeded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> db.countsByState().equals(Map.of("SUCCEEDED", (long) total)));
            assertThat(db.count("SELECT COUNT(*) FROM hangfire_job WHERE state IN ('ENQUEUED', 'PROCESSING') OR owner IS NOT NULL"))
                    .as("jobs left in a queue").isZero();

            Map<Long, List<Long>> rows = JobsDatabase.prepare(JobsDatabase.Kind.MARIADB, cluster).effectPidsByJob();
            Executions executions = new Executions(db.executions(), Map.of());
            List<String> overlaps = executions.overlaps();
            List<String> logCounts = new ArrayList<>();
            List<Map<String, Integer>> warnings = new ArrayList<>();
            for (AppProcess app : apps) {
                String log = app.logText();
                Map<String, Integer> failed = countByLoop(FAILED, log);
                Map<String, Integer> recovered = countByLoop(RECOVERED, log);
                warnings.add(failed);
                // Hibernate logs each failed connection attempt: a measure of how many attempts there were
                logCounts.add(app.name + " hangfire-failed=" + failed + " hangfire-works-again=" + recovered
                        + " hibernate-jdbc-errors=" + log.lines().filter(l -> l.contains("HHH000247")).count()
                        + " warn-lines=" + log.lines().filter(l -> l.contains(" WARN ")).count());
            }
            System.out.printf("[cluster] DatabaseOutageIT: jobs=%d executions=%d run-more-than-once=%d overlapping=%d"
                    + " outage=%ds connections-cut=%d refused=%d states-at-cut=%s runs-at-restore=%s"
                    + " drained-after-restore=%.1fs transactional=%d with-one-row=%d test=%.1fs%n", total, executions.total,
                    executions.jobsRunMoreThanOnce().size(), overlaps.size(), OUTAGE.toSeconds(), connectionsCut,
                    proxy.refused(), statesAtCut, runsAtRestore, drained, transactional.size(),
                    rows.values().stream().filter(r -> r.size() == 1).count(), (System.nanoTime() - begin) / 1e9);
            logCounts.forEach(line -> System.out.println("[cluster] DatabaseOutageIT log: " + line));
            System.out.printf("[cluster] DatabaseOutageIT readiness: DOWN after the cut (s)=%s, UP again after the restore=%.1fs%n",
                    notReadyAfter, readyAgainAfter);

            assertThat(answeredDuringOutage).as("processes answer HTTP during the outage").isTrue();
            assertThat(notReadyAfter.keySet()).as("processes whose readiness went DOWN during the outage")
                    .containsExactlyInAnyOrderElementsOf(apps.stream().map(app -> app.name).toList());
            assertThat(executions.jobs()).as("jobs that ran").isEqualTo(total);
            assertThat(overlaps).as("runs of one job that overlap in time").isEmpty();
            assertThat(executions.stillRunning()).as("runs without an end").isEmpty();
            assertThat(db.jobsSucceededMoreThanOnce()).as("jobs whose success was recorded twice").isZero();
            assertThat(rows).as("transactional jobs with rows in it_effect").containsOnlyKeys(transactional);
            assertThat(rows).allSatisfy((job, pids) -> assertThat(pids).as("rows of job %d", job).hasSize(1));
            for (int i = 0; i < apps.size(); i++) {
                AppProcess app = apps.get(i);
                Map<String, Integer> failed = warnings.get(i);
                String log = app.logText();
                assertThat(failed).as("%s noticed the outage", app).isNotEmpty();
                // one outage: each loop warns once when it starts failing, not at each of its many attempts
                assertThat(failed).as("%s outage warnings per loop", app).allSatisfy((loop, count) -> assertThat(count)
                        .as("warnings of the %s loop", loop).isEqualTo(1));
                assertThat(countByLoop(RECOVERED, log).keySet()).as("%s loops that said they work again", app)
                        .containsAll(failed.keySet());
            }
        }
    }

    private static Map<String, Integer> countByLoop(Pattern pattern, String log) {
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = pattern.matcher(log);
        while (m.find()) {
            counts.merge(m.group(1), 1, Integer::sum);
        }
        return counts;
    }
}
