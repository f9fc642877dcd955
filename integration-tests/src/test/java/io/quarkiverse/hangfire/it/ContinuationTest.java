package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ContinuationTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void onSucceededRunsAfterTheParentSucceeds() {
        String key = key("cont");
        String parent = jobs.schedule(TestJobs.class, j -> j.record(key + ":parent"), Duration.ofMillis(800));
        String child = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":child"));
        JobDetails waiting = details(jobs, child);
        assertThat(waiting.state()).isEqualTo(JobState.AWAITING);
        assertThat(waiting.parentId()).isEqualTo(parent);
        assertThat(waiting.continuationOption()).isEqualTo(ContinuationOption.ON_SUCCEEDED);
        awaitState(jobs, child, JobState.SUCCEEDED);
        JobDetails parentDone = details(jobs, parent);
        JobDetails childDone = details(jobs, child);
        // the child was released only once the parent had succeeded
        Object childEnqueued = childDone.history().stream().filter(s -> s.state() == JobState.ENQUEUED).findFirst()
                .orElseThrow().createdAt();
        assertThat(parentDone.stateChangedAt()).isBeforeOrEqualTo((java.time.Instant) childEnqueued);
        assertThat(executions.count(key + ":child")).isEqualTo(1);
    }

    @Test
    void onSucceededIsDeletedWhenTheParentIsDeletedAndChainsCascade() {
        String key = key("cont-del");
        String parent = jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
        String onSuccess = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":success"));
        String onDeleted = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":deleted"),
                ContinuationOption.ON_DELETED);
        String onAny = jobs.continueWith(parent, ContinuationOption.ON_ANY_FINAL_STATE, "TestJobs.record", key + ":any");
        // a continuation of a continuation that will be deleted: released by the deletion
        String grandChild = jobs.continueWith(onSuccess, TestJobs.class, j -> j.record(key + ":cleanup"),
                ContinuationOption.ON_DELETED);

        assertThat(jobs.delete(parent)).isTrue();
        JobDetails notMet = details(jobs, onSuccess);
        assertThat(notMet.state()).isEqualTo(JobState.DELETED);
        assertThat(notMet.stateReason()).contains("was not met");
        awaitState(jobs, onDeleted, JobState.SUCCEEDED);
        awaitState(jobs, onAny, JobState.SUCCEEDED);
        awaitState(jobs, grandChild, JobState.SUCCEEDED);
        assertThat(executions.count(key + ":success")).isZero();
    }

    @Test
    void onDeletedIsDeletedWhenTheParentSucceeds() {
        String key = key("cont-ok");
        String parent = jobs.enqueue(TestJobs.class, j -> j.record(key));
        String onDeleted = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":deleted"),
                ContinuationOption.ON_DELETED);
        String onAny = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":any"),
                ContinuationOption.ON_ANY_FINAL_STATE);
        awaitState(jobs, onAny, JobState.SUCCEEDED);
        awaitState(jobs, onDeleted, JobState.DELETED);
        assertThat(executions.count(key + ":deleted")).isZero();
    }

    @Test
    void continuationOfAFinishedParentIsResolvedAtOnce() {
        String key = key("cont-late");
        String parent = jobs.enqueue(TestJobs.class, j -> j.record(key));
        awaitState(jobs, parent, JobState.SUCCEEDED);
        String child = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":child"));
        awaitState(jobs, child, JobState.SUCCEEDED);
        String never = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":never"), ContinuationOption.ON_DELETED);
        assertThat(details(jobs, never).state()).isEqualTo(JobState.DELETED);
    }

    @Test
    void aFailedParentKeepsItsContinuationWaiting() {
        String key = key("cont-failed");
        String parent = jobs.enqueue(TestJobs.class, j -> j.failsOnce(key));
        String child = jobs.continueWith(parent, TestJobs.class, j -> j.record(key + ":child"),
                ContinuationOption.ON_ANY_FINAL_STATE);
        awaitState(jobs, parent, JobState.FAILED);
        assertThat(details(jobs, child).state()).isEqualTo(JobState.AWAITING);
        jobs.delete(parent);
        awaitState(jobs, child, JobState.SUCCEEDED);
    }
}
