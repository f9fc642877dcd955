package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TransactionTest {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Test
    void aJobEnqueuedInARolledBackTransactionNeverExistsNorRuns() throws InterruptedException {
        String key = key("rollback");
        AtomicReference<String> id = new AtomicReference<>();
        QuarkusTransaction.begin();
        id.set(jobs.enqueue(TestJobs.class, j -> j.record(key)));
        QuarkusTransaction.rollback();
        Thread.sleep(1000);
        assertThat(executions.count(key)).isZero();
        assertThat(jobs.monitor().job(id.get())).isEmpty();
    }

    @Test
    void aJobEnqueuedInATransactionRunsOnlyAfterCommit() throws InterruptedException {
        String key = key("commit");
        QuarkusTransaction.begin();
        String id = jobs.enqueue(TestJobs.class, j -> j.record(key));
        // not committed: invisible to workers however long we wait
        Thread.sleep(800);
        assertThat(executions.count(key)).isZero();
        QuarkusTransaction.commit();
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(1);
    }

    @Test
    void stateChangesJoinTheTransactionToo() {
        String key = key("tx-delete");
        String id = jobs.schedule(TestJobs.class, j -> j.record(key), java.time.Duration.ofHours(1));
        QuarkusTransaction.begin();
        assertThat(jobs.delete(id)).isTrue();
        QuarkusTransaction.rollback();
        assertThat(JobAssertions.details(jobs, id).state()).isEqualTo(JobState.SCHEDULED);
        jobs.delete(id);
    }

    @Test
    void overHttpATransactionalEndpointEnqueuesOnCommitAndNotOnRollback() {
        String ok = key("http");
        String id = given().post("/it/record/" + ok).then().statusCode(200).extract().asString();
        await().atMost(JobAssertions.PATIENCE).until(() -> given().get("/it/count/" + ok).then().extract().asString()
                .equals("1"));
        awaitState(jobs, id, JobState.SUCCEEDED);

        String failed = key("http-fail");
        given().queryParam("fail", true).post("/it/record/" + failed).then().statusCode(500);
        await().pollDelay(java.time.Duration.ofMillis(800)).atMost(java.time.Duration.ofSeconds(5)).until(() -> true);
        assertThat(executions.count(failed)).isZero();
        given().get("/it/counts").then().statusCode(200);
    }
}
