package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** quarkus.hangfire.dashboard.enabled=false leaves nothing of the dashboard behind. */
class DashboardDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:dashboard-off;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.dashboard.enabled", "false");

    @Test
    void nothingIsServed() {
        given().get("/hangfire/").then().statusCode(404);
        given().get("/hangfire/api/stats").then().statusCode(404);
        given().get("/hangfire/api/openapi.json").then().statusCode(404);
    }
}
