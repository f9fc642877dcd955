package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** {@link JobScheduler#enqueueAll}: many jobs in one transaction, with multi-row inserts. */
@QuarkusTest
class EnqueueAllTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void returnsTheIdsInTheOrderOfTheItemsAndRunsEveryJob() {
        // more than one INSERT chunk, so that the generated keys of several multi-row inserts are read
        String prefix = key("all");
        List<String> keys = IntStream.range(0, 450).mapToObj(i -> prefix + "-" + i).toList();
        List<String> ids = jobs.enqueueAll(TestJobs.class, keys, (j, k) -> j.record(k));

        assertThat(ids).hasSize(keys.size()).doesNotHaveDuplicates();
        List<Long> numeric = ids.stream().map(Long::parseLong).toList();
        assertThat(numeric).isSorted();
        await().atMost(JobAssertions.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> keys.stream().allMatch(k -> executions.count(k) == 1));
        // each id is the job of the item at the same position
        for (int i : new int[] { 0, 1, 199, 200, 201, 449 }) {
            JobDetails job = awaitState(jobs, ids.get(i), JobState.SUCCEEDED);
            assertThat(job.arguments()).containsExactly("\"" + keys.get(i) + "\"");
            assertThat(job.queue()).isEqualTo("default");
            assertThat(JobAssertions.historyStates(job)).containsExactly(JobState.ENQUEUED, JobState.PROCESSING,
                    JobState.SUCCEEDED);
        }
    }

    @Test
    void storesTheArgumentsOfEveryCallByLambdaAndByName() {
        YearMonth month = YearMonth.of(2026, 3);
        List<Long> customers = List.of(9001L, 9002L, 9003L);
        List<String> byLambda = jobs.enqueueAll(TestJobs.class, customers, (r, id) -> r.generate(id, month));
        List<String> byName = jobs.enqueueAll("TestJobs.generate", List.of(new Object[] { 9004, month },
                new Object[] { 9005L, YearMonth.of(2026, 4) }));

        for (int i = 0; i < customers.size(); i++) {
            JobDetails job = awaitState(jobs, byLambda.get(i), JobState.SUCCEEDED);
            assertThat(job.jobName()).isEqualTo("TestJobs.generate");
            assertThat(job.arguments()).containsExactly(customers.get(i).toString(), "\"2026-03\"");
        }
        assertThat(awaitState(jobs, byName.get(0), JobState.SUCCEEDED).arguments()).containsExactly("9004", "\"2026-03\"");
        assertThat(awaitState(jobs, byName.get(1), JobState.SUCCEEDED).arguments()).containsExactly("9005", "\"2026-04\"");
        assertThat(executions.values("generate:9005")).containsExactly(YearMonth.of(2026, 4));
    }

    @Test
    void aBatchInARolledBackTransactionCreatesNoJob() throws InterruptedException {
        List<String> keys = List.of(key("rb"), key("rb"), key("rb"));
        QuarkusTransaction.begin();
        List<String> ids = jobs.enqueueAll(TestJobs.class, keys, (j, k) -> j.record(k));
        QuarkusTransaction.rollback();

        Thread.sleep(800);
        assertThat(ids).hasSize(3);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(jobs.monitor().job(ids.get(i))).isEmpty();
            assertThat(executions.count(keys.get(i))).isZero();
        }
    }

    @Test
    void aBatchJoinsTheCallersTransactionAndRunsAfterItsCommit() throws InterruptedException {
        List<String> keys = List.of(key("tx"), key("tx"));
        QuarkusTransaction.begin();
        List<String> ids = jobs.enqueueAll(TestJobs.class, keys, (j, k) -> j.record(k));
        Thread.sleep(500);
        assertThat(executions.count(keys.get(0))).isZero();
        QuarkusTransaction.commit();
        ids.forEach(id -> awaitState(jobs, id, JobState.SUCCEEDED));
    }

    @Test
    void anEmptyBatchReturnsAnEmptyList() {
        assertThat(jobs.enqueueAll(TestJobs.class, List.<String> of(), (j, k) -> j.record(k))).isEmpty();
        assertThat(jobs.enqueueAll("TestJobs.record", new ArrayList<>())).isEmpty();
    }

    @Test
    void oneBadItemFailsTheWholeBatchWithAMessageThatNamesIt() throws InterruptedException {
        List<String> keys = List.of(key("bad"), key("bad"), "helper", key("bad"));
        assertThatThrownBy(() -> jobs.enqueueAll(TestJobs.class, keys, (j, k) -> {
            if (k.equals("helper")) {
                j.record(j.helper());
            } else {
                j.record(k);
            }
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 2 of the batch")
                .hasMessageContaining("no job of the batch was created")
                .hasMessageContaining("TestJobs.helper()");

        assertThatThrownBy(() -> jobs.enqueueAll("TestJobs.generate", List.of(new Object[] { 1L, YearMonth.of(2026, 1) },
                new Object[] { 2L }))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 1 of the batch")
                .hasMessageContaining("takes 2 argument(s), but 1 were given");

        Thread.sleep(800);
        assertThat(executions.count(keys.get(0))).isZero();
        assertThat(executions.count(keys.get(1))).isZero();
        assertThat(executions.values("generate:1")).isEmpty();
    }
}
