package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A search that runs past quarkus.hangfire.dashboard.search.timeout is stopped and answered with 503 and a
 * message, not 500; a text shorter than search.min-length is refused with 400.
 */
class DashboardSearchLimitsTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:dashboard-search;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.dashboard.search.timeout", "1ms")
            .overrideConfigKey("quarkus.hangfire.dashboard.search.min-length", "5");

    @Test
    void aSearchPastItsTimeoutIsAnswered503() {
        given().get("/hangfire/api/jobs?text=abcde").then().statusCode(503).header("Retry-After", notNullValue())
                .body("error", containsString("took longer than 1 ms"));
        // the next one is not refused as if the stopped one still ran
        given().get("/hangfire/api/jobs?text=abcde").then().statusCode(503);
        given().get("/hangfire/api/jobs").then().statusCode(200);
    }

    @Test
    void aTextShorterThanTheMinimumIsRefused() {
        given().get("/hangfire/api/jobs?text=abcd").then().statusCode(400)
                .body("error", containsString("at least 5 characters"));
    }
}
