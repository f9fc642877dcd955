package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.historyStates;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RetryTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void flakyJobSucceedsAfterRetriesRecordedAsFailedThenScheduled() {
        String key = key("flaky");
        String id = jobs.enqueue(TestJobs.class, j -> j.flaky(key, 2));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(3);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(historyStates(done)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING, JobState.FAILED,
                JobState.SCHEDULED, JobState.ENQUEUED, JobState.PROCESSING, JobState.FAILED, JobState.SCHEDULED,
                JobState.ENQUEUED, JobState.PROCESSING, JobState.SUCCEEDED);
        StateRecord firstRetry = done.history().stream().filter(s -> s.state() == JobState.SCHEDULED).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(firstRetry.reason()).startsWith("Retry attempt 1 of 3: IllegalStateException: flaky failure 1 of 2");
    }

    @Test
    void exhaustedRetriesEndInFailedWithTheException() {
        String key = key("fails");
        String id = jobs.enqueue(TestJobs.class, j -> j.alwaysFails(key));
        JobDetails failed = awaitState(jobs, id, JobState.FAILED);
        assertThat(executions.count(key)).isEqualTo(3); // the first attempt and 2 retries
        StateRecord last = failed.history().get(0);
        assertThat(last.reason()).contains("Exceeded the maximum number of retry attempts (2)");
        assertThat(last.data()).containsEntry("exceptionType", IllegalArgumentException.class.getName())
                .containsEntry("exceptionMessage", "always fails: " + key);
        assertThat(last.data().get("stackTrace")).contains("TestJobs.alwaysFails");
        assertThat(failed.expireAt()).as("failed jobs stay").isNull();

        // retry gives a fresh budget: three more runs
        assertThat(jobs.retry(id)).isTrue();
        awaitState(jobs, id, JobState.FAILED);
        org.awaitility.Awaitility.await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) == 6);
        // attempt counts every run since the job was created: neither retry nor requeue resets it
        assertThat(awaitState(jobs, id, JobState.FAILED).attempt()).isEqualTo(6);
        // requeue keeps the spent retry budget: one more run, then Failed again
        assertThat(jobs.requeue(id)).isTrue();
        org.awaitility.Awaitility.await().atMost(JobAssertions.PATIENCE).until(() -> executions.count(key) == 7);
        JobDetails requeued = awaitState(jobs, id, JobState.FAILED);
        assertThat(requeued.attempt()).isEqualTo(7);
        assertThat(requeued.history().get(0).reason()).contains("Exceeded the maximum number of retry attempts (2)");
        assertThat(jobs.retry(jobs.enqueue(TestJobs.class, j -> j.record(key("not-failed"))))).isFalse();
    }

    @Test
    void retriesDisabledAndNotRetriedExceptionsFailAtOnce() {
        String key = key("once");
        String id = jobs.enqueue(TestJobs.class, j -> j.failsOnce(key));
        JobDetails failed = awaitState(jobs, id, JobState.FAILED);
        assertThat(failed.stateReason()).startsWith("Retries are disabled for this job");
        assertThat(executions.count(key)).isEqualTo(1);

        String other = key("not-retried");
        String id2 = jobs.enqueue(TestJobs.class, j -> j.notRetried(other));
        JobDetails failed2 = awaitState(jobs, id2, JobState.FAILED);
        assertThat(failed2.stateReason()).startsWith("The exception is not retried");
        assertThat(executions.count(other)).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesCanEndInDeleted() {
        String key = key("deleted");
        String id = jobs.enqueue(TestJobs.class, j -> j.failsThenDeleted(key));
        JobDetails deleted = awaitState(jobs, id, JobState.DELETED);
        assertThat(executions.count(key)).isEqualTo(2);
        assertThat(deleted.expireAt()).isNotNull();
        assertThat(deleted.history().get(0).data()).containsKey("exceptionType");
    }

    @Test
    void globalDelaysApplyToJobsWithoutTheirOwn() {
        // TestJobs.record has no retry settings: it uses quarkus.hangfire.retry.* (10 retries, 0.2 s in tests)
        String id = jobs.enqueue("TestJobs.record", "fine");
        awaitState(jobs, id, JobState.SUCCEEDED);
    }
}
