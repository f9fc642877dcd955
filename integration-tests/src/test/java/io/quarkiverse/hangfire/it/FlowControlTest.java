package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.CreatedJob;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobOptions;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.QueuePause;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Flow control against the suite's database: per-call options, priorities, pausing queues, deadlines, unique jobs
 * and rate limits. The "flow" queue runs one job at a time, so the order of its starts is the order of its claims.
 */
@QuarkusTest
class FlowControlTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void optionsOverrideTheQueueAndSetPriorityParametersAndDeadline() {
        String key = key("options");
        Instant deadline = Instant.now().plus(Duration.ofHours(1));
        CreatedJob created = jobs.enqueue(FlowJobs.class, j -> j.ordered(key, "x"), JobOptions.none().queue("critical")
                .priority(7).parameter("origin", "test").deadline(deadline));
        assertThat(created.created()).isTrue();
        JobDetails done = awaitState(jobs, created.jobId(), JobState.SUCCEEDED);
        assertThat(done.queue()).isEqualTo("critical");
        assertThat(done.priority()).isEqualTo(7);
        assertThat(done.parameters()).containsEntry("origin", "\"test\"");
        assertThat(done.deadline()).isCloseTo(deadline, org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
        assertThat(jobs.getJobParameter(created.jobId(), "origin", String.class)).contains("test");
        assertThat(executions.count(key)).isEqualTo(1);

        assertThatThrownBy(() -> jobs.enqueue(FlowJobs.class, j -> j.ordered(key, "y"), JobOptions.none().queue("Bad Queue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JobOptions.queue 'Bad Queue'");
        assertThatThrownBy(() -> jobs.enqueue(JobOptions.none().priority(5000), "FlowJobs.ordered", key, "z"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JobOptions.priority 5000");
    }

    @Test
    void aPausedQueueStartsNothingAndAfterResumeTheHighPriorityJobStartsFirstThenFifo() throws Exception {
        String key = key("priority");
        jobs.pauseQueue("flow", null);
        try {
            List<QueuePause> paused = jobs.monitor().pausedQueues();
            assertThat(paused).extracting(QueuePause::queue).contains("flow");
            QueuePause pause = paused.stream().filter(p -> p.queue().equals("flow")).findFirst().orElseThrow();
            assertThat(pause.pausedBy()).startsWith("application ");
            assertThat(pause.until()).isNull();
            for (int i = 0; i < 5; i++) {
                String label = "low" + i;
                jobs.enqueue(FlowJobs.class, j -> j.ordered(key, label));
            }
            CreatedJob high = jobs.enqueue(FlowJobs.class, j -> j.ordered(key, "high"), JobOptions.none().priority(10));
            Thread.sleep(1000);
            assertThat(executions.count(key)).as("nothing starts in a paused queue").isZero();
            assertThat(details(jobs, high.jobId()).state()).isEqualTo(JobState.ENQUEUED);
        } finally {
            assertThat(jobs.resumeQueue("flow")).isTrue();
        }
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) == 6);
        assertThat(executions.values(key)).containsExactly("high", "low0", "low1", "low2", "low3", "low4");
        assertThat(jobs.resumeQueue("flow")).isFalse();
    }

    @Test
    void aTimedPauseLiftsItself() throws Exception {
        String key = key("timed");
        Instant until = Instant.now().plusMillis(1500).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        jobs.pauseQueue("flow", until);
        String id = jobs.enqueue(FlowJobs.class, j -> j.ordered(key, "after"));
        assertThat(jobs.monitor().pausedQueues()).anyMatch(p -> p.queue().equals("flow") && until.equals(p.until())
                || Instant.now().isAfter(until));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        // it started once the pause was over, and soon after: the pause lifted itself
        assertThat(processingAt(done)).isAfterOrEqualTo(until).isBefore(until.plusSeconds(10));
        assertThat(jobs.monitor().pausedQueues()).noneMatch(p -> p.queue().equals("flow"));
    }

    @Test
    void aJobWhoseDeadlinePassesWhileItsQueueIsPausedIsDeletedWithTheDeadlineAsReason() {
        String key = key("deadline");
        jobs.pauseQueue("flow", null);
        try {
            String id = jobs.enqueue(FlowJobs.class, j -> j.hurried(key));
            JobDetails deleted = awaitState(jobs, id, JobState.DELETED);
            assertThat(deleted.stateReason()).startsWith("Deadline ").contains("passed before the job started");
            assertThat(deleted.deadline()).isNotNull();
        } finally {
            jobs.resumeQueue("flow");
        }
        assertThat(executions.count(key)).isZero();
    }

    @Test
    void aRecurringJobsOccurrencesTakeTheMethodsPriorityAndDeadline() {
        String key = key("recurring-flow");
        String id = "flow-" + key;
        jobs.recurring().addOrUpdate(id, FlowJobs.class, j -> j.hurried(key), "0 0 3 * * *");
        try {
            String jobId = jobs.recurring().trigger(id);
            JobDetails job = details(jobs, jobId);
            assertThat(job.priority()).isEqualTo(2);
            assertThat(job.deadline()).isNotNull().isBefore(job.createdAt().plusSeconds(2));
        } finally {
            jobs.recurring().removeIfExists(id);
        }
    }

    @Test
    void aUniqueKeyGivesTheWaitingJobBackInsteadOfCreatingAnother() {
        String key = key("unique");
        String customer = key("customer");
        jobs.pauseQueue("flow", null);
        try {
            CreatedJob first = jobs.enqueue(FlowJobs.class, j -> j.sync(customer, key), JobOptions.none().queue("flow"));
            CreatedJob second = jobs.enqueue(FlowJobs.class, j -> j.sync(customer, key), JobOptions.none().queue("flow"));
            String third = jobs.enqueue(FlowJobs.class, j -> j.sync(customer, key));
            CreatedJob scheduled = jobs.schedule(JobOptions.none(), "FlowJobs.sync", Duration.ofMinutes(5), customer, key);
            List<CreatedJob> batch = jobs.enqueueAll("FlowJobs.sync", List.of(new Object[] { customer, key },
                    new Object[] { customer + "-other", key }), JobOptions.none().queue("flow"));
            assertThat(first.created()).isTrue();
            assertThat(second).isEqualTo(new CreatedJob(first.jobId(), false));
            assertThat(third).isEqualTo(first.jobId());
            assertThat(scheduled).isEqualTo(new CreatedJob(first.jobId(), false));
            assertThat(batch.get(0)).isEqualTo(new CreatedJob(first.jobId(), false));
            assertThat(batch.get(1).created()).isTrue();
            assertThat(details(jobs, first.jobId()).uniqueKey()).isEqualTo("sync-" + customer);
        } finally {
            jobs.resumeQueue("flow");
        }
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) == 2);
        // started: the key is free again
        CreatedJob again = jobs.enqueue(FlowJobs.class, j -> j.sync(customer, key), JobOptions.none());
        assertThat(again.created()).isTrue();
        awaitState(jobs, again.jobId(), JobState.SUCCEEDED);
    }

    @Test
    void aKeyKeptAfterFinishingHoldsForItsPeriod() {
        String key = key("report");
        String customer = key("c");
        CreatedJob first = jobs.enqueue(FlowJobs.class, j -> j.report(customer, key), JobOptions.none());
        awaitState(jobs, first.jobId(), JobState.SUCCEEDED);
        CreatedJob later = jobs.enqueue(FlowJobs.class, j -> j.report(customer, key), JobOptions.none());
        assertThat(later).isEqualTo(new CreatedJob(first.jobId(), false));
        // a key in the options replaces the declared one
        CreatedJob other = jobs.enqueue(FlowJobs.class, j -> j.report(customer, key), JobOptions.none().unique(key));
        assertThat(other.created()).isTrue();
        awaitState(jobs, other.jobId(), JobState.SUCCEEDED);
    }

    @Test
    void concurrentCreationsOfTheSameKeysCreateOneJobPerKey() throws Exception {
        String key = key("race");
        int keys = 10, threads = 8, rounds = 5;
        jobs.pauseQueue("flow", null);
        List<String> customers = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            customers.add(key + "-" + k);
        }
        ConcurrentLinkedQueue<CreatedJob> results = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> order = new ArrayList<>(customers);
                Collections.shuffle(order);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        for (String customer : order) {
                            results.add(jobs.enqueue(FlowJobs.class, j -> j.sync(customer, key), JobOptions.none().queue("flow")));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            Set<String> created = new HashSet<>();
            Set<String> returned = new HashSet<>();
            for (CreatedJob r : results) {
                returned.add(r.jobId());
                if (r.created()) {
                    assertThat(created.add(r.jobId())).isTrue();
                }
            }
            assertThat(results).hasSize(keys * threads * rounds);
            assertThat(created).hasSize(keys);
            assertThat(returned).isEqualTo(created);
        } finally {
            pool.shutdownNow();
            jobs.resumeQueue("flow");
        }
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) == keys);
    }

    @Test
    void aRateLimitedJobWaitsForItsSlidingWindowWithoutFailing() {
        String key = key("rated");
        String tenant = key("tenant");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(jobs.enqueue(FlowJobs.class, j -> j.rated(tenant, key)));
        }
        // another tenant has its own limit
        String other = jobs.enqueue(FlowJobs.class, j -> j.rated(tenant + "-b", key + "-b"));
        awaitState(jobs, other, JobState.SUCCEEDED);
        List<Instant> starts = new ArrayList<>();
        for (String id : ids) {
            JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
            assertThat(done.attempt()).isEqualTo(1);
            starts.add(processingAt(done));
        }
        assertThat(mostStartsWithin(starts, Duration.ofSeconds(1))).isLessThanOrEqualTo(5);
    }

    @Test
    void aQueueRateLimitFromConfigurationHoldsAcrossItsJobs() {
        String key = key("queue-rated");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String label = "j" + i;
            ids.add(jobs.enqueue(FlowJobs.class, j -> j.ordered(key, label), JobOptions.none().queue("flow-rated")).jobId());
        }
        List<Instant> starts = new ArrayList<>();
        for (String id : ids) {
            starts.add(processingAt(awaitState(jobs, id, JobState.SUCCEEDED)));
        }
        assertThat(mostStartsWithin(starts, Duration.ofSeconds(1))).isLessThanOrEqualTo(4);
    }

    private static Instant processingAt(JobDetails job) {
        return job.history().stream().filter(s -> s.state() == JobState.PROCESSING).map(StateRecord::createdAt).findFirst()
                .orElseThrow();
    }

    /** The most starts that one span of {@code window} (both ends included) holds. */
    static int mostStartsWithin(List<Instant> starts, Duration window) {
        List<Instant> sorted = new ArrayList<>(starts);
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
