package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.historyStates;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OperationsTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void scheduleWithDurationRunsWhenDue() {
        String key = key("delayed");
        Instant before = Instant.now();
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofMillis(1500));
        JobDetails scheduled = details(jobs, id);
        assertThat(scheduled.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(scheduled.scheduledAt()).isAfter(before.plusMillis(1400));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(1);
        assertThat(historyStates(done)).containsExactly(JobState.SCHEDULED, JobState.ENQUEUED, JobState.PROCESSING,
                JobState.SUCCEEDED);
        // it did not run early: Enqueued is recorded at or after the due time
        assertThat(done.history().get(2).createdAt()).isAfterOrEqualTo(scheduled.scheduledAt());
    }

    @Test
    void scheduleAtAnInstantInThePastRunsAtOnce() {
        String key = key("past");
        String id = jobs.schedule("TestJobs.record", Instant.now().minusSeconds(60), key);
        awaitState(jobs, id, JobState.SUCCEEDED);
        String future = jobs.schedule("TestJobs.record", Instant.now().plusSeconds(3600), key);
        assertThat(details(jobs, future).state()).isEqualTo(JobState.SCHEDULED);
        jobs.delete(future);
    }

    @Test
    void deleteAScheduledJobWithExpectedStateGuard() {
        String key = key("delete");
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        assertThat(jobs.delete(id, JobState.ENQUEUED)).isFalse();
        assertThat(details(jobs, id).state()).isEqualTo(JobState.SCHEDULED);
        assertThat(jobs.delete(id, JobState.SCHEDULED)).isTrue();
        JobDetails deleted = details(jobs, id);
        assertThat(deleted.state()).isEqualTo(JobState.DELETED);
        assertThat(deleted.expireAt()).isNotNull();
        assertThat(jobs.delete(id)).as("already deleted").isFalse();
    }

    @Test
    void requeueADeletedJobRunsIt() {
        String key = key("requeue");
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        assertThat(jobs.delete(id)).isTrue();
        assertThat(jobs.requeue(id, JobState.SUCCEEDED)).isFalse();
        assertThat(jobs.requeue(id, JobState.DELETED)).isTrue();
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(1);
        assertThat(historyStates(done)).containsExactly(JobState.SCHEDULED, JobState.DELETED, JobState.ENQUEUED,
                JobState.PROCESSING, JobState.SUCCEEDED);
        // a finished job can run again on request
        assertThat(jobs.requeue(id)).isTrue();
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) == 2);
    }

    @Test
    void rescheduleMovesTheDueTime() {
        String key = key("reschedule");
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        assertThat(jobs.reschedule(id, Instant.now().plusSeconds(600), JobState.ENQUEUED)).isFalse();
        assertThat(jobs.reschedule(id, Duration.ofMillis(300))).isTrue();
        awaitState(jobs, id, JobState.SUCCEEDED);
    }

    @Test
    void unknownIdsAreClearErrors() {
        assertThatThrownBy(() -> jobs.delete("987654321987")).isInstanceOf(JobNotFoundException.class)
                .hasMessageContaining("987654321987");
        // a malformed id is bad input, not a missing job (JobIdValidationTest covers every operation)
        assertThatThrownBy(() -> jobs.requeue("abc")).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(JobNotFoundException.class).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> jobs.retry("987654321987")).isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> jobs.perform("987654321987")).isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> jobs.getJobParameter("987654321987", "x", String.class))
                .isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> jobs.continueWith("987654321987", TestJobs.class, j -> j.record("x")))
                .isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void performRunsAStoredJobInTheCallersThread() {
        String key = key("perform");
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        assertThat(jobs.perform(id)).isEqualTo(JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(1);
        JobDetails done = details(jobs, id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(historyStates(done)).containsExactly(JobState.SCHEDULED, JobState.PROCESSING, JobState.SUCCEEDED);

        String failing = jobs.schedule(TestJobs.class, j -> j.failsOnce(key + "-f"), Duration.ofHours(1));
        assertThat(jobs.perform(failing)).isEqualTo(JobState.FAILED);
        assertThat(details(jobs, failing).history().get(0).data()).containsEntry("exceptionType",
                IllegalStateException.class.getName());
    }

    @Test
    void parametersAreTypedJsonValues() {
        String id = jobs.schedule(TestJobs.class, j -> j.record("params"), Duration.ofHours(1));
        assertThat(jobs.getJobParameter(id, "missing", String.class)).isEmpty();
        jobs.setJobParameter(id, "count", 3);
        jobs.setJobParameter(id, "item", new Item("x", 1));
        jobs.setJobParameter(id, "count", 4);
        assertThat(jobs.getJobParameter(id, "count", Integer.class)).contains(4);
        assertThat(jobs.getJobParameter(id, "item", Item.class)).contains(new Item("x", 1));
        assertThat(details(jobs, id).parameters()).containsEntry("count", "4").containsEntry("item",
                "{\"sku\":\"x\",\"quantity\":1}");
        jobs.setJobParameter(id, "count", null);
        assertThat(jobs.getJobParameter(id, "count", Integer.class)).isEmpty();
        assertThatThrownBy(() -> jobs.setJobParameter(id, "", 1)).isInstanceOf(IllegalArgumentException.class);
        jobs.delete(id);
    }

    @Test
    void finishedJobsExpireAndAreRemovedWithTheirRows() {
        String key = key("expire");
        String id = jobs.enqueue(TestJobs.class, j -> j.record(key));
        awaitState(jobs, id, JobState.SUCCEEDED);
        jobs.setJobParameter(id, "kept", "until expiry");
        String pending = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        assertThat(jobs.updateExpirationTime(pending, Instant.now())).as("not final").isFalse();
        assertThat(jobs.updateExpirationTime(id, null)).isTrue();
        assertThat(details(jobs, id).expireAt()).isNull();
        assertThat(jobs.updateExpirationTime(id, Instant.now().minusSeconds(1))).isTrue();
        await().atMost(JobAssertions.PATIENCE).until(() -> jobs.monitor().job(id).isEmpty());
        assertThatThrownBy(() -> jobs.getJobParameter(id, "kept", String.class)).isInstanceOf(JobNotFoundException.class);
        assertThat(jobs.monitor().job(pending)).isPresent();
        jobs.delete(pending);
    }

    @Test
    void cancellationOfARunningJobOnDelete() {
        String key = key("cancel");
        String id = jobs.enqueue(TestJobs.class, j -> j.slow(key, 20_000, null));
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key + ":started") == 1);
        assertThat(jobs.delete(id, JobState.PROCESSING)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> executions.count(key + ":cancelled") == 1);
        // its outcome is dropped: the job stays deleted
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        JobDetails deleted = details(jobs, id);
        assertThat(deleted.state()).isEqualTo(JobState.DELETED);
        assertThat(historyStates(deleted)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.DELETED);
    }
}
