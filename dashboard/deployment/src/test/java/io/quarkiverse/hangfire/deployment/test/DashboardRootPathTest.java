package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Under quarkus.http.root-path the dashboard's redirect, cookie and reported path include the root, and the redirect
 * names the configured path whatever path the request took to reach the dashboard.
 */
class DashboardRootPathTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:dashboard-root-path;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.http.root-path", "/app")
            .overrideConfigKey("quarkus.hangfire.dashboard.path", "/ops/jobs");

    @Test
    void theRedirectAndTheCookieFollowTheRootPath() {
        given().basePath("").redirects().follow(false).get("/app/ops/jobs").then().statusCode(303)
                .header("Location", "/app/ops/jobs/");
        given().basePath("").redirects().follow(false).get("/app//evil.example/%2e%2e/ops/jobs").then()
                .header("Location", org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(),
                        equalTo("/app/ops/jobs/")));
        given().basePath("").get("/app/ops/jobs/api/me").then().statusCode(200).body("path", equalTo("/app/ops/jobs"));
        assertThat(given().basePath("").get("/app/ops/jobs/").then().statusCode(200).extract()
                .detailedCookie("hangfire-csrf").getPath()).isEqualTo("/app/ops/jobs");
    }
}
