package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * The health checks, probed over HTTP as a platform would: ready with the storage, the schema and the server; DOWN
 * while a queue's oldest job waits longer than its threshold, UP again once it is gone; not alive while the
 * heartbeat hangs on a database lock, naming it, and alive again once the lock is released.
 */
class HealthTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(HealthJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            // a lock wait long enough to look like a hung database call
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:health;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=60000")
            .overrideConfigKey("quarkus.hangfire.server.queues", "default")
            .overrideConfigKey("quarkus.hangfire.server.heartbeat-interval", "500ms")
            .overrideConfigKey("quarkus.hangfire.server.lease-timeout", "30s")
            .overrideConfigKey("quarkus.hangfire.snapshot-interval", "200ms")
            .overrideConfigKey("quarkus.hangfire.health.stuck-process-after", "2s")
            .overrideConfigKey("quarkus.hangfire.health.oldest-enqueued-warning", "1h")
            .overrideConfigKey("quarkus.hangfire.queue.\"unserved\".oldest-enqueued-down", "1s");

    @Inject
    JobScheduler jobs;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void readinessFollowsTheBacklogOfAQueue() {
        JsonPath ready = probe("/q/health/ready", 200);
        assertThat(ready.getString("checks.find { it.name == 'Hangfire' }.status")).isEqualTo("UP");
        assertThat(ready.getString("checks.find { it.name == 'Hangfire' }.data.storage")).isEqualTo("reachable");
        assertThat(ready.getInt("checks.find { it.name == 'Hangfire' }.data.schemaVersion")).isPositive();
        assertThat(ready.getString("checks.find { it.name == 'Hangfire' }.data.server")).contains(":");

        String id = jobs.enqueue(HealthJobs.class, j -> j.waitsInAnUnservedQueue());
        await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        JsonPath down = probe("/q/health/ready", 503);
        assertThat(down.getString("checks.find { it.name == 'Hangfire' }.data.backlog"))
                .contains("queue 'unserved'").contains("over the DOWN threshold of 1s");

        jobs.delete(id);
        await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void livenessNamesAHeartbeatHungOnTheDatabase() throws Exception {
        JsonPath live = probe("/q/health/live", 200);
        assertThat(live.getString("checks.find { it.name == 'Hangfire' }.status")).isEqualTo("UP");
        assertThat(live.getInt("checks.find { it.name == 'Hangfire' }.data.processes")).isGreaterThanOrEqualTo(9);

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM hangfire_server FOR UPDATE")) {
                lock.executeQuery().close();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/q/health/live").statusCode() == 503);
            JsonPath stuck = probe("/q/health/live", 503);
            assertThat(stuck.getString("checks.find { it.name == 'Hangfire' }.data.heartbeat")).startsWith("stuck: in one round for");
            c.rollback();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/q/health/live").statusCode() == 200);
    }

    private static JsonPath probe(String path, int status) {
        return given().get(path).then().statusCode(status).extract().jsonPath();
    }

    public static class HealthJobs {
        @BackgroundJob(queue = "unserved")
        public void waitsInAnUnservedQueue() {
        }
    }
}
