package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * The dashboard answers in its own JSON style, whatever the application configures for Jackson. In dev and test
 * mode, with no security configured, the dashboard is open to requests from this machine only:
 * a request that came through a proxy needs a login. Actions still need the CSRF token, which is then bound to the
 * anonymous local user and signed with a key made at startup (no csrf-key is configured here).
 */
class DashboardLocalAccessTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:dashboard-local;DB_CLOSE_DELAY=-1")
            // the application's own JSON style does not leak into the dashboard's API
            .overrideConfigKey("quarkus.jackson.property-naming-strategy", "SNAKE_CASE")
            .overrideConfigKey("quarkus.jackson.write-dates-as-timestamps", "true");

    @Test
    void localRequestsNeedNoLogin() {
        given().get("/hangfire/api/me").then().statusCode(200).body("user", nullValue()).body("readOnly", equalTo(false))
                .body("path", equalTo("/hangfire"));
        given().get("/hangfire/api/stats").then().statusCode(200).body("now", endsWith("Z"))
                .body("states.SUCCEEDED", notNullValue());
        String token = given().get("/hangfire/api/me").then().statusCode(200).extract().cookie("hangfire-csrf");
        given().contentType(ContentType.JSON).body("{\"ids\":[\"1\"],\"expectedState\":\"FAILED\"}")
                .cookie("hangfire-csrf", token).header("X-Hangfire-CSRF", token).post("/hangfire/api/jobs/delete").then()
                .statusCode(200).body("skipped", equalTo(java.util.List.of("1")));
    }

    @Test
    void forwardedRequestsAreNotLocal() {
        // refused as not logged in; with no authentication mechanism in this app Quarkus answers 403, not 401
        given().header("X-Forwarded-For", "203.0.113.7").get("/hangfire/api/stats").then()
                .statusCode(anyOf(is(401), is(403)));
        given().header("Forwarded", "for=203.0.113.7").get("/hangfire/api/stats").then().statusCode(anyOf(is(401), is(403)));
    }

    @Test
    void actionsStillNeedTheCsrfToken() {
        given().contentType(ContentType.JSON).body("{\"ids\":[\"1\"]}").post("/hangfire/api/jobs/delete").then()
                .statusCode(403).body("error", containsString("CSRF"));
        // one the dashboard issued, not one the client made up
        given().contentType(ContentType.JSON).body("{\"ids\":[\"1\"]}").cookie("hangfire-csrf", "t")
                .header("X-Hangfire-CSRF", "t").post("/hangfire/api/jobs/delete").then().statusCode(403)
                .body("error", containsString("not issued to this anonymous local user"));
    }
}
