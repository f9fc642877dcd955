package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The dashboard moves with quarkus.hangfire.dashboard.path, and everything it hands out follows it. */
class DashboardPathTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:dashboard-path;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.dashboard.path", "/ops/jobs/");

    @Test
    void servedUnderTheConfiguredPath() {
        given().get("/ops/jobs/api/stats").then().statusCode(200);
        given().get("/hangfire/api/stats").then().statusCode(404);
        given().get("/ops/jobs/api/me").then().statusCode(200).body("path", equalTo("/ops/jobs"));
        given().get("/ops/jobs/api/openapi.json").then().statusCode(200).body("servers[0].url", equalTo("/ops/jobs"));
        assertThat(given().get("/ops/jobs/api/me").then().extract().detailedCookie("hangfire-csrf").getPath())
                .isEqualTo("/ops/jobs");
    }
}
