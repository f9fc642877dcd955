package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.PATIENCE;
import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.BatchInfo;
import io.quarkiverse.hangfire.BatchNotFoundException;
import io.quarkiverse.hangfire.BatchState;
import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.FanIn;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Batches on the database of the run: creation, progress, nesting, attaching, deletion, requeue, continuations. */
@QuarkusTest
class BatchTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aBatchSucceedsOnceEveryJobDidAndReleasesItsContinuationOnce() {
        String key = key("batch");
        List<String> ids = new ArrayList<>();
        String batch = jobs.batch("three and a chain", b -> {
            ids.add(b.enqueue(TestJobs.class, j -> j.record(key + ":a")));
            ids.add(b.enqueue("TestJobs.record", key + ":b"));
            ids.add(b.schedule(TestJobs.class, j -> j.record(key + ":c"), Duration.ofMillis(300)));
            ids.add(b.continueWith(ids.get(0), TestJobs.class, j -> j.record(key + ":after-a")));
            ids.addAll(b.enqueueAll(TestJobs.class, List.of(1, 2, 3), (j, n) -> j.record(key + ":all")));
        });
        String next = jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key + ":next"));
        assertThat(details(jobs, next).state()).isEqualTo(JobState.AWAITING);
        BatchInfo started = jobs.monitor().batch(batch).orElseThrow();
        assertThat(started.description()).isEqualTo("three and a chain");
        assertThat(started.total()).isEqualTo(7);

        BatchInfo done = awaitBatch(batch, BatchState.SUCCEEDED);
        assertThat(done.succeeded()).isEqualTo(7);
        assertThat(done.deleted()).isZero();
        assertThat(done.percentDone()).isEqualTo(100);
        awaitState(jobs, next, JobState.SUCCEEDED);
        assertThat(executions.count(key + ":next")).isEqualTo(1);
        assertThat(executions.count(key + ":all")).isEqualTo(3);
        for (String id : ids) {
            assertThat(details(jobs, id).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(details(jobs, id).batchId()).isEqualTo(batch);
        }
        assertThat(details(jobs, next).batchId()).as("a continuation of a batch is in no batch").isNull();
        assertThat(jobs.monitor().batchJobs(batch, JobState.SUCCEEDED, 0, 100)).hasSize(7);
        assertThat(jobs.monitor().batches(BatchState.SUCCEEDED, 0, 1000)).extracting(BatchInfo::id).contains(batch);
    }

    @Test
    void nothingOfABatchExistsWhenItsLambdaFails() {
        String key = key("batch-atomic");
        AtomicReference<String> batchId = new AtomicReference<>();
        AtomicReference<String> jobId = new AtomicReference<>();
        assertThatThrownBy(() -> jobs.batch(b -> {
            batchId.set(b.batchId());
            jobId.set(b.enqueue(TestJobs.class, j -> j.record(key)));
            b.enqueue(TestJobs.class, j -> j.helper());
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(jobs.monitor().batch(batchId.get())).isEmpty();
        assertThat(jobs.monitor().job(jobId.get())).isEmpty();
    }

    @Test
    void aBatchCreatedInARolledBackTransactionNeverExisted() {
        String key = key("batch-tx");
        QuarkusTransaction.begin();
        String batch = jobs.batch(b -> b.enqueue(TestJobs.class, j -> j.record(key)));
        QuarkusTransaction.rollback();
        assertThat(jobs.monitor().batch(batch)).isEmpty();

        QuarkusTransaction.begin();
        String committed = jobs.batch(b -> b.enqueue(TestJobs.class, j -> j.record(key)));
        QuarkusTransaction.commit();
        awaitBatch(committed, BatchState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(1);
    }

    @Test
    void aFailedJobKeepsTheBatchStartedUntilItIsRequeuedOrDeleted() {
        String key = key("batch-failed");
        AtomicReference<String> failing = new AtomicReference<>();
        String batch = jobs.batch(b -> {
            b.enqueue(TestJobs.class, j -> j.record(key + ":ok"));
            failing.set(b.enqueue(TestJobs.class, j -> j.failsOnce(key + ":fails")));
        });
        String onSuccess = jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key + ":next"));
        awaitState(jobs, failing.get(), JobState.FAILED);
        BatchInfo waiting = await().atMost(PATIENCE).until(() -> jobs.monitor().batch(batch).orElseThrow(),
                b -> b.succeeded() == 1 && b.failed() == 1);
        assertThat(waiting.state()).isEqualTo(BatchState.STARTED);
        assertThat(details(jobs, onSuccess).state()).isEqualTo(JobState.AWAITING);
        assertThat(jobs.monitor().batchJobs(batch, JobState.FAILED, 0, 10)).extracting(j -> j.id())
                .containsExactly(failing.get());

        assertThat(jobs.requeueBatch(batch)).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> executions.count(key + ":fails") == 2);
        awaitState(jobs, failing.get(), JobState.FAILED);
        assertThat(jobs.monitor().batch(batch).orElseThrow().state()).isEqualTo(BatchState.STARTED);

        // a job of the batch deleted by hand is final: the batch succeeds (Hangfire Pro's rule)
        assertThat(jobs.delete(failing.get())).isTrue();
        BatchInfo done = awaitBatch(batch, BatchState.SUCCEEDED);
        assertThat(done.failed()).isZero();
        assertThat(done.deleted()).isEqualTo(1);
        awaitState(jobs, onSuccess, JobState.SUCCEEDED);
    }

    @Test
    void retriesInsideABatchDoNotFinishItEarly() {
        String key = key("batch-retry");
        String batch = jobs.batch(b -> b.enqueue(TestJobs.class, j -> j.flaky(key, 2)));
        awaitBatch(batch, BatchState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(3);
        BatchInfo done = jobs.monitor().batch(batch).orElseThrow();
        assertThat(done.succeeded()).isEqualTo(1);
        assertThat(done.failed()).isZero();
    }

    @Test
    void nestedBatchesFinishTheirParent() {
        String key = key("batch-nested");
        AtomicReference<String> inner = new AtomicReference<>();
        AtomicReference<String> innermost = new AtomicReference<>();
        String outer = jobs.batch("outer", b -> {
            b.enqueue(TestJobs.class, j -> j.record(key + ":outer"));
            inner.set(b.batch("inner", i -> {
                i.enqueue(TestJobs.class, j -> j.record(key + ":inner"));
                innermost.set(i.batch("innermost", m -> m.schedule(TestJobs.class, j -> j.record(key + ":deep"),
                        Duration.ofMillis(500))));
            }));
        });
        String next = jobs.continueBatchWith(outer, TestJobs.class, j -> j.record(key + ":next"));
        assertThat(jobs.monitor().batch(outer).orElseThrow().total()).isEqualTo(2);
        assertThat(jobs.monitor().batch(inner.get()).orElseThrow().parentBatchId()).isEqualTo(outer);
        assertThat(jobs.monitor().nestedBatches(outer)).extracting(BatchInfo::id).containsExactly(inner.get());
        awaitBatch(innermost.get(), BatchState.SUCCEEDED);
        awaitBatch(inner.get(), BatchState.SUCCEEDED);
        BatchInfo done = awaitBatch(outer, BatchState.SUCCEEDED);
        assertThat(done.succeeded()).isEqualTo(2);
        awaitState(jobs, next, JobState.SUCCEEDED);
        assertThat(executions.count(key + ":deep")).isEqualTo(1);
    }

    /**
     * A finished batch expires like its jobs, once they are gone: due while a job of it remains, it waits for that
     * job's expiration; then it goes with its nested batch, and the continuation that ran keeps the batch's id.
     */
    @Test
    void aFinishedBatchExpiresOnceItsJobsAndNestedBatchesAreGone() throws Exception {
        String key = key("batch-expire");
        AtomicReference<String> inner = new AtomicReference<>();
        List<String> members = new ArrayList<>();
        String batch = jobs.batch("expires", b -> {
            members.add(b.enqueue(TestJobs.class, j -> j.record(key)));
            inner.set(b.batch("inner", i -> members.add(i.enqueue(TestJobs.class, j -> j.record(key)))));
        });
        String next = jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key + ":next"));
        assertThat(jobs.monitor().batch(batch).orElseThrow().expireAt()).as("not finished").isNull();
        BatchInfo done = awaitBatch(batch, BatchState.SUCCEEDED);
        awaitState(jobs, next, JobState.SUCCEEDED);
        assertThat(done.expireAt()).isEqualTo(done.stateChangedAt().plus(Duration.ofHours(24)));
        assertThat(jobs.monitor().batch(inner.get()).orElseThrow().expireAt()).isNotNull();
        assertThat(details(jobs, members.get(0)).batchId()).isEqualTo(batch);
        assertThat(details(jobs, members.get(1)).batchId()).as("the nested batch's job").isEqualTo(inner.get());

        // due, but its jobs are still there: both batches wait for the last of them
        Instant past = Instant.now().minusSeconds(60);
        expireBatches(past, batch, inner.get());
        Instant lastJob = members.stream().map(id -> details(jobs, id).expireAt()).max(Instant::compareTo).orElseThrow();
        await().atMost(PATIENCE).until(() -> jobs.monitor().batch(batch).orElseThrow().expireAt().isAfter(Instant.now()));
        assertThat(jobs.monitor().batch(batch).orElseThrow().expireAt()).isBeforeOrEqualTo(lastJob);
        await().atMost(PATIENCE).until(() -> jobs.monitor().batch(inner.get()).orElseThrow().expireAt().isAfter(Instant.now()));

        // its jobs expire: the batch goes with its nested batch
        for (String id : members) {
            assertThat(jobs.updateExpirationTime(id, past)).isTrue();
        }
        expireBatches(past, batch, inner.get());
        await().atMost(PATIENCE).until(() -> jobs.monitor().batch(batch).isEmpty());
        assertThat(jobs.monitor().batch(inner.get())).isEmpty();
        for (String id : members) {
            assertThat(jobs.monitor().job(id)).isEmpty();
        }
        assertThat(details(jobs, next).state()).isEqualTo(JobState.SUCCEEDED);
        assertThatThrownBy(() -> jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key)))
                .isInstanceOf(BatchNotFoundException.class);
    }

    /** A finished batch with a job that runs again (requeued after the batch finished) stays while the job runs. */
    @Test
    void aFinishedBatchStaysWhileAJobOfItRunsAgain() throws Exception {
        String key = key("batch-expire-requeued");
        AtomicReference<String> member = new AtomicReference<>();
        String batch = jobs.batch(b -> member.set(b.enqueue(TestJobs.class, j -> j.record(key))));
        awaitBatch(batch, BatchState.SUCCEEDED);
        assertThat(jobs.reschedule(member.get(), Duration.ofHours(1))).isTrue();
        expireBatches(Instant.now().minusSeconds(60), batch);
        // looked at again after another expiration period
        BatchInfo held = await().atMost(PATIENCE).until(() -> jobs.monitor().batch(batch).orElseThrow(),
                b -> b.expireAt().isAfter(Instant.now().plus(Duration.ofHours(23))));
        assertThat(held.state()).isEqualTo(BatchState.SUCCEEDED);
        jobs.delete(member.get());
    }

    private void expireBatches(Instant at, String... batchIds) throws Exception {
        for (String id : batchIds) {
            assertThat(JobAssertions.update(dataSource, "UPDATE hangfire_batch SET expire_at = ? WHERE id = ?",
                    JobClock.toDb(at), Long.parseLong(id))).isEqualTo(1);
        }
    }

    @Test
    void jobsAttachToAnUnfinishedBatchOnly() {
        String key = key("batch-attach");
        AtomicReference<String> held = new AtomicReference<>();
        String batch = jobs.batch(b -> held.set(b.schedule(TestJobs.class, j -> j.record(key + ":held"), Duration.ofHours(1))));
        jobs.attachToBatch(batch, b -> b.enqueue(TestJobs.class, j -> j.record(key + ":attached")));
        await().atMost(PATIENCE).until(() -> executions.count(key + ":attached") == 1);
        BatchInfo open = await().atMost(PATIENCE).until(() -> jobs.monitor().batch(batch).orElseThrow(), b -> b.succeeded() == 1);
        assertThat(open.total()).isEqualTo(2);
        assertThat(open.state()).isEqualTo(BatchState.STARTED);
        assertThat(jobs.delete(held.get())).isTrue();
        awaitBatch(batch, BatchState.SUCCEEDED);
        assertThatThrownBy(() -> jobs.attachToBatch(batch, b -> b.enqueue(TestJobs.class, j -> j.record(key))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SUCCEEDED");
        assertThatThrownBy(() -> jobs.attachToBatch("999999999", b -> b.enqueue(TestJobs.class, j -> j.record(key))))
                .isInstanceOf(BatchNotFoundException.class);
    }

    @Test
    void deletingABatchDeletesItsUnfinishedJobsAndReleasesItsContinuationsByOption() {
        String key = key("batch-delete");
        AtomicReference<String> nested = new AtomicReference<>();
        String batch = jobs.batch(b -> {
            b.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
            b.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1));
            nested.set(b.batch("nested", n -> n.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1))));
        });
        String onSuccess = jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key + ":success"));
        String onDeleted = jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key + ":deleted"),
                ContinuationOption.ON_DELETED);
        String onAny = jobs.continueBatchWith(batch, TestJobs.class, j -> j.record(key + ":any"),
                ContinuationOption.ON_ANY_FINAL_STATE);

        assertThat(jobs.deleteBatch(batch)).isEqualTo(3);
        assertThat(jobs.monitor().batch(batch).orElseThrow().state()).isEqualTo(BatchState.DELETED);
        assertThat(jobs.monitor().batch(nested.get()).orElseThrow().state()).isEqualTo(BatchState.DELETED);
        assertThat(jobs.monitor().batchJobs(batch, JobState.DELETED, 0, 10)).hasSize(2);
        assertThat(details(jobs, onSuccess).state()).isEqualTo(JobState.DELETED);
        assertThat(details(jobs, onSuccess).stateReason()).contains("was not met");
        awaitState(jobs, onDeleted, JobState.SUCCEEDED);
        awaitState(jobs, onAny, JobState.SUCCEEDED);
        assertThat(jobs.deleteBatch(batch)).isZero();
        assertThat(executions.count(key)).isZero();
    }

    @Test
    void aContinuationBatchWaitsThenRuns() {
        String key = key("batch-cont");
        String first = jobs.batch(b -> b.schedule(TestJobs.class, j -> j.record(key + ":first"), Duration.ofMillis(500)));
        List<String> ids = new ArrayList<>();
        String second = jobs.continueBatchWith(first, "second", b -> {
            ids.addAll(b.enqueueAll(TestJobs.class, List.of(1, 2), (j, n) -> j.record(key + ":second")));
            ids.add(b.continueWith(ids.get(0), TestJobs.class, j -> j.record(key + ":chained")));
        });
        String skipped = jobs.continueBatchWith(first, "skipped", b -> b.enqueue(TestJobs.class, j -> j.record(key + ":never")),
                ContinuationOption.ON_DELETED);
        BatchInfo awaiting = jobs.monitor().batch(second).orElseThrow();
        assertThat(awaiting.state()).isEqualTo(BatchState.AWAITING);
        assertThat(awaiting.awaitedBatchId()).isEqualTo(first);
        assertThat(details(jobs, ids.get(0)).state()).isEqualTo(JobState.AWAITING);
        assertThat(jobs.monitor().batchContinuations(first)).extracting(BatchInfo::id).containsExactly(second, skipped);
        assertThatThrownBy(() -> jobs.continueBatchWith(first, "scheduling", b -> b.schedule(TestJobs.class,
                j -> j.record(key), Duration.ofMinutes(1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot schedule");

        awaitBatch(second, BatchState.SUCCEEDED);
        assertThat(executions.count(key + ":second")).isEqualTo(2);
        assertThat(executions.count(key + ":chained")).isEqualTo(1);
        // the condition was not met: its jobs were deleted, so it finished with them
        BatchInfo notRun = awaitBatch(skipped, BatchState.SUCCEEDED);
        assertThat(notRun.deleted()).isEqualTo(1);
        assertThat(executions.count(key + ":never")).isZero();

        // created after its antecedent finished: resolved at once
        String late = jobs.continueBatchWith(first, "late", b -> b.enqueue(TestJobs.class, j -> j.record(key + ":late")));
        awaitBatch(late, BatchState.SUCCEEDED);
        String lateJob = jobs.continueBatchWith(first, TestJobs.class, j -> j.record(key + ":late-job"),
                ContinuationOption.ON_DELETED);
        assertThat(details(jobs, lateJob).state()).isEqualTo(JobState.DELETED);
        assertThat(jobs.monitor().batch(jobs.batch(b -> {
        })).orElseThrow().state()).as("an empty batch succeeds at once").isEqualTo(BatchState.SUCCEEDED);
    }

    /** The docs' workflow: A, then B and C in parallel, then D once both are done. */
    @Test
    void fanOutThenFanIn() {
        String key = key("batch-abcd");
        String a = jobs.enqueue(TestJobs.class, j -> j.record(key + ":A"));
        String bc = jobs.batch("B and C", b -> {
            b.continueWith(a, TestJobs.class, j -> j.record(key + ":B"));
            b.continueWith(a, TestJobs.class, j -> j.record(key + ":C"));
        });
        String d = jobs.continueBatchWith(bc, TestJobs.class, j -> j.record(key + ":D"));
        awaitState(jobs, d, JobState.SUCCEEDED);
        assertThat(IntStream.of(executions.count(key + ":A"), executions.count(key + ":B"), executions.count(key + ":C"),
                executions.count(key + ":D"))).containsOnly(1);
        assertThat(details(jobs, d).stateChangedAt()).isAfterOrEqualTo(jobs.monitor().batch(bc).orElseThrow().stateChangedAt());
    }

    @Test
    void continuationsReadTheirParentsResultsTyped() {
        String key = key("results");
        String parent = jobs.enqueue(TestJobs.class, j -> j.sum(2, 3));
        jobs.continueWith(parent, TestJobs.class, j -> j.recordParentResult(key + ":job", null));
        String batch = jobs.batch(b -> {
            b.enqueue(TestJobs.class, j -> j.sum(1, 2));
            b.enqueue(TestJobs.class, j -> j.sum(3, 4));
            b.enqueue(TestJobs.class, j -> j.record(key + ":no-result"));
        });
        jobs.continueBatchWith(batch, TestJobs.class, j -> j.recordBatchResults(key + ":batch", null));
        await().atMost(PATIENCE).until(() -> executions.count(key + ":job") == 1 && executions.count(key + ":batch") == 1);
        assertThat(executions.values(key + ":job")).containsExactly(5);
        assertThat(executions.values(key + ":batch")).containsExactly(10);
        assertThat(jobs.monitor().result(parent, Integer.class)).contains(5);
        assertThat(details(jobs, parent).history().get(0).data()).containsEntry("result", "5");

        // bounded like the arguments: a larger result fails the attempt and says why
        String big = jobs.enqueue(TestJobs.class, j -> j.oversizedResult(70_000));
        awaitState(jobs, big, JobState.FAILED);
        assertThat(details(jobs, big).stateReason()).contains("max-arguments-size");
        assertThat(jobs.monitor().result(big, String.class)).isEmpty();
    }

    @Test
    void fanInContinuationsWaitForSeveralParents() {
        String key = key("fan-in");
        String a = jobs.enqueue(TestJobs.class, j -> j.record(key + ":a"));
        String b = jobs.schedule(TestJobs.class, j -> j.record(key + ":b"), Duration.ofMillis(500));
        String held = jobs.schedule(TestJobs.class, j -> j.record(key + ":held"), Duration.ofHours(1));
        String failing = jobs.enqueue(TestJobs.class, j -> j.failsOnce(key + ":failing"));
        String all = jobs.continueWhen(List.of(a, b), FanIn.ALL_SUCCEEDED, TestJobs.class, j -> j.record(key + ":all"));
        String any = jobs.continueWhen(List.of(held, a), FanIn.ANY_SUCCEEDED, TestJobs.class, j -> j.record(key + ":any"));
        String allFinal = jobs.continueWhen(List.of(a, held), FanIn.ALL_FINAL, TestJobs.class, j -> j.record(key + ":final"));
        String notMet = jobs.continueWhen(List.of(a, held), FanIn.ALL_SUCCEEDED, TestJobs.class, j -> j.record(key + ":never"));
        String afterFailed = jobs.continueWhen(List.of(a, failing), FanIn.ALL_FINAL, TestJobs.class,
                j -> j.record(key + ":after-failed"));

        awaitState(jobs, all, JobState.SUCCEEDED);
        awaitState(jobs, any, JobState.SUCCEEDED);
        awaitState(jobs, failing, JobState.FAILED);
        assertThat(details(jobs, allFinal).state()).isEqualTo(JobState.AWAITING);
        assertThat(details(jobs, notMet).state()).isEqualTo(JobState.AWAITING);
        assertThat(details(jobs, afterFailed).state()).as("Failed is not final").isEqualTo(JobState.AWAITING);

        assertThat(jobs.delete(held)).isTrue();
        awaitState(jobs, allFinal, JobState.SUCCEEDED);
        assertThat(details(jobs, notMet).state()).isEqualTo(JobState.DELETED);
        assertThat(details(jobs, notMet).stateReason()).contains("was not met");
        assertThat(jobs.delete(failing)).isTrue();
        awaitState(jobs, afterFailed, JobState.SUCCEEDED);
        assertThat(executions.count(key + ":all")).isEqualTo(1);
        assertThat(executions.count(key + ":any")).isEqualTo(1);
        assertThat(executions.count(key + ":never")).isZero();

        // parents finished already: decided at once
        String late = jobs.continueWhen(List.of(a, b), FanIn.ALL_SUCCEEDED, TestJobs.class, j -> j.record(key + ":late"));
        awaitState(jobs, late, JobState.SUCCEEDED);
        String lateAny = jobs.continueWhen(List.of(held), FanIn.ANY_SUCCEEDED, TestJobs.class, j -> j.record(key));
        assertThat(details(jobs, lateAny).state()).isEqualTo(JobState.DELETED);

        assertThatThrownBy(() -> jobs.continueWhen(List.of(), FanIn.ALL_FINAL, TestJobs.class, j -> j.record(key)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parentIds");
        assertThatThrownBy(() -> jobs.continueWhen(List.of(a, a), FanIn.ALL_FINAL, TestJobs.class, j -> j.record(key)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        assertThatThrownBy(() -> jobs.continueWhen(List.of(a, "999999999"), FanIn.ALL_FINAL, TestJobs.class,
                j -> j.record(key))).isInstanceOf(JobNotFoundException.class);
    }

    private BatchInfo awaitBatch(String batchId, BatchState state) {
        return await().atMost(PATIENCE).until(() -> jobs.monitor().batch(batchId).orElseThrow(), b -> b.state() == state);
    }
}
