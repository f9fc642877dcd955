package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkiverse.hangfire.it.cluster.ClusterDatabase.Execution;
import io.quarkiverse.hangfire.it.cluster.JobsDatabase.Kind;

/**
 * Exactly once for transactional effects, and fencing for the others, on MariaDB and PostgreSQL. Transactional jobs
 * insert one row each into the application table {@code it_effect}, in their transaction: whatever happens to the
 * servers, every job ends with exactly one row, although some jobs run more than once (CrashIT, beside this test,
 * shows the at-least-once runs of plain jobs).
 */
class ExactlyOnceIT {

    static final int CRASH_JOBS = 2000;
    static final List<Long> SLEEPS = CrashIT.SLEEPS;
    /** How long a job of the zombie test runs, whatever happens: it does not cooperate. */
    static final Duration STUBBORN = Duration.ofSeconds(4);

    /**
     * CrashIT with transactional jobs: one of two servers is killed in the middle of the drain. The jobs it held run
     * again on the other; the runs it had not committed left nothing behind.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKilledServerLeavesExactlyOneRowPerTransactionalJob(Kind kind) throws Exception {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.create("ExactlyOnceIT-crash-" + kind)) {
            JobsDatabase jobs = JobsDatabase.prepare(kind, cluster);
            Cluster.Crash crash = cluster.startTwoForACrash(jobs.jar, jobs.settings(cluster), jobs);
            crash.survivor().enqueue(CRASH_JOBS, SLEEPS, null, 1, false);
            Instant killedAt = crash.killVictimMidway();

            await("every job Succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> jobs.countsByState().equals(Map.of("SUCCEEDED", (long) CRASH_JOBS)));
            Map<Long, List<Long>> rows = jobs.effectPidsByJob();
            Executions executions = new Executions(cluster.db.executions(), Map.of(crash.victim().pid(), killedAt));
            List<Long> runTwice = executions.jobsRunMoreThanOnce();
            System.out.printf("[cluster] ExactlyOnceIT crash %s: transactional jobs=%d executions=%d run-more-than-once=%d"
                    + " cut-short-by-kill=%d jobs-with-rows=%d rows=%d test=%.1fs%n", kind, CRASH_JOBS, executions.total,
                    runTwice.size(), executions.cutShort().size(), rows.size(),
                    rows.values().stream().mapToInt(List::size).sum(), (System.nanoTime() - begin) / 1e9);

            assertThat(executions.jobs()).as("jobs that ran").isEqualTo(CRASH_JOBS);
            assertThat(rows).as("jobs with a row in it_effect").hasSize(CRASH_JOBS);
            assertThat(rows).as("rows per job").allSatisfy((job, pids) -> assertThat(pids).as("rows of job %d", job).hasSize(1));
            for (long job : runTwice) {
                assertThat(rows.get(job)).as("the row of job %d, which ran more than once, from its last run", job)
                        .containsExactly(executions.runsOf(job).get(executions.runsOf(job).size() - 1).pid());
            }
            assertThat(jobs.jobsSucceededMoreThanOnce()).as("jobs whose success was recorded twice").isZero();
        }
    }

    /**
     * A server is frozen (SIGSTOP) for longer than its lease while it runs jobs that ignore cancellation, half of them
     * transactional. The other server takes them over and finishes them; then the frozen one runs on (SIGCONT), its
     * attempts past their end. None of its late writes may land: its transactions cannot commit (their rows roll
     * back), and the writes of its plain jobs are refused, by the server (a log line) and by a store that honours
     * fencing tokens.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aFrozenServerCannotCommitNorWriteOnceItsJobsWereTakenOver(Kind kind) throws Exception {
        long begin = System.nanoTime();
        try (Cluster cluster = Cluster.create("ExactlyOnceIT-zombie-" + kind)) {
            JobsDatabase jobs = JobsDatabase.prepare(kind, cluster);
            AppProcess zombie = cluster.start(jobs.jar, List.of(jobs.settings(cluster))).get(0);
            // one job per worker, every other one transactional
            List<Long> ids = zombie.enqueue(Cluster.WORKERS, List.of(STUBBORN.toMillis()), null, 2, true);
            List<Long> transactional = new ArrayList<>();
            List<Long> plain = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                (i % 2 == 0 ? transactional : plain).add(ids.get(i));
            }
            await("the server runs every job").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> cluster.db.executionsByPid().getOrDefault(zombie.pid(), 0L) == ids.size());
            zombie.freeze();
            long frozenAt = System.nanoTime();

            AppProcess taker = cluster.start(jobs.jar, List.of(jobs.settings(cluster))).get(0);
            await("the other server finished every job").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> jobs.countsByState().equals(Map.of("SUCCEEDED", (long) ids.size())));
            Duration frozen = Duration.ofNanos(System.nanoTime() - frozenAt);
            zombie.thaw();

            // its attempts are past their end: they write, or try to commit, at once
            try {
                await("the frozen server's attempts ended").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> cluster.db.executions().stream()
                                .filter(e -> e.pid() == zombie.pid() && e.endedAt() != null).count() == ids.size());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.println("[cluster] ExactlyOnceIT zombie " + kind + ": runs " + cluster.db.executions()
                        + "\nthreads of the frozen server:\n" + threadDump(zombie.pid()));
                throw e;
            }
            await("the frozen server came back under a new identity").atMost(Duration.ofSeconds(30))
                    .until(() -> zombie.logText().contains("re-registered"));
            // time for a late commit to show, if one could happen
            Thread.sleep(2000);

            Map<Long, List<Long>> rows = jobs.effectPidsByJob();
            Map<Long, Integer> attempts = jobs.attempts();
            List<Execution> runs = cluster.db.executions();
            // a zombie's transaction rolls back when its completion finds the claim gone, or earlier, when the server
            // fenced itself on waking up and cancelled the run: whichever comes first
            long lostClaims = zombie.logText().lines().filter(l -> l.contains("lost its claim before it could commit")).count();
            java.util.regex.Matcher fence = java.util.regex.Pattern.compile("It cancelled (\\d+) running job")
                    .matcher(zombie.logText());
            long fenceCancelled = fence.find() ? Long.parseLong(fence.group(1)) : 0;
            long refusedByServer = cluster.db.count("SELECT COUNT(*) FROM it_refusal WHERE refused_by = 'server' AND pid = ?",
                    zombie.pid());
            long refusedByStore = cluster.db.count("SELECT COUNT(*) FROM it_refusal WHERE refused_by = 'external' AND pid = ?",
                    zombie.pid());
            List<String> lateLines = jobs.logLines().stream().filter(l -> l.contains(":1:finished")).toList();
            System.out.printf("[cluster] ExactlyOnceIT zombie %s: jobs=%d (transactional %d) frozen=%.1fs (lease %ds)"
                    + " runs=%d cancelled-by-fence=%d late-completions-refused=%d late-writes-refused: server=%d fenced-store=%d rows=%s"
                    + " test=%.1fs%n", kind, ids.size(), transactional.size(), frozen.toMillis() / 1000.0,
                    Cluster.LEASE_TIMEOUT.toSeconds(), runs.size(), fenceCancelled, lostClaims, refusedByServer, refusedByStore, rows,
                    (System.nanoTime() - begin) / 1e9);

            assertThat(frozen).as("frozen longer than the lease").isGreaterThan(Cluster.LEASE_TIMEOUT);
            assertThat(attempts).as("attempts per job: the frozen server's, then the other's")
                    .containsOnlyKeys(ids).allSatisfy((job, attempt) -> assertThat(attempt).isEqualTo(2));
            for (long job : ids) {
                assertThat(runs.stream().filter(e -> e.jobId() == job).map(Execution::pid))
                        .as("runs of job %d", job).containsExactlyInAnyOrder(zombie.pid(), taker.pid());
            }
            assertThat(new Executions(runs, Map.of()).overlaps()).as("runs that overlapped: the zombies ran on")
                    .hasSize(ids.size());
            assertThat(jobs.jobsSucceededMoreThanOnce()).as("jobs whose success was recorded twice").isZero();
            // transactional: exactly one row each, the other server's; the frozen server's rolled back
            assertThat(rows).as("jobs with rows in it_effect").containsOnlyKeys(transactional);
            assertThat(rows).allSatisfy((job, pids) -> assertThat(pids).as("rows of job %d", job).containsExactly(taker.pid()));
            // plain: the late writes were refused, by the server and by the fenced store
            for (long job : plain) {
                assertThat(cluster.db.count("SELECT COUNT(*) FROM it_fenced WHERE job_id = ? AND token = 2 AND pid = ?"
                        + " AND writes = 1", job, taker.pid())).as("fenced store holds the token of job %d's last attempt", job)
                        .isEqualTo(1);
                assertThat(cluster.db.count("SELECT COUNT(*) FROM it_refusal WHERE job_id = ? AND token = 1 AND pid = ?",
                        job, zombie.pid())).as("refused writes of job %d's stale attempt", job).isEqualTo(2);
            }
            assertThat(lateLines).as("log lines written by a stale attempt").isEmpty();
            assertThat(zombie.isAlive()).as("the frozen server runs on").isTrue();
        }
    }

    private static String threadDump(long pid) {
        try {
            Process jstack = new ProcessBuilder("jstack", Long.toString(pid)).redirectErrorStream(true).start();
            String dump = new String(jstack.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jstack.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (java.io.IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
