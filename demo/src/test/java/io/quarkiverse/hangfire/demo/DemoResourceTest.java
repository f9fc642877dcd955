package io.quarkiverse.hangfire.demo;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.testing.JobTesting;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** The demo on in-memory H2: the page is served, and the jobs it creates run to the end. */
@QuarkusTest
class DemoResourceTest {

    @Inject
    JobTesting testing;

    @Test
    void createdJobsRunAndTheContinuationFollows() {
        JsonPath created = given().when().post("/demo/jobs").then().statusCode(200).extract().jsonPath();
        String report = created.getString("enqueued[0]");
        String continuation = created.getString("continuation");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/demo/jobs/" + continuation)
                .then().statusCode(200).body("state", equalTo("SUCCEEDED")).body("parentId", equalTo(report)));
        given().when().get("/demo/jobs/" + report).then().statusCode(200).body("state", equalTo("SUCCEEDED"));
        // the dashboard, open from this machine in dev and test mode, shows the report's steps
        given().when().get("/hangfire/api/jobs/" + report).then().statusCode(200).body("progress", equalTo(100))
                .body("log.size()", equalTo(4));
        given().when().get("/demo/jobs").then().statusCode(200).body("counts.SCHEDULED", greaterThanOrEqualTo(1));
    }

    @Test
    void jobTestingRunsNoJobsWhileTheServerRuns() {
        IllegalStateException e = assertThrows(IllegalStateException.class, testing::runEnqueuedJobs);
        assertThat(e.getMessage(), containsString("set quarkus.hangfire.server.enabled=false for the test"));
    }

    @Test
    void unknownJobIsNotFound() {
        given().when().get("/demo/jobs/999999").then().statusCode(404);
        given().when().get("/demo/jobs/not-a-number").then().statusCode(404);
    }

    @Test
    void demoEndpointsRefuseForeignOriginsAndProxiedRequests() {
        given().header("Origin", "https://evil.example").when().post("/demo/jobs").then().statusCode(403)
                .body(containsString("not from origin https://evil.example"));
        given().header("Origin", "null").when().get("/demo/jobs").then().statusCode(403);
        given().header("X-Forwarded-For", "203.0.113.7").when().get("/demo/jobs").then().statusCode(403)
                .body(containsString("only requests from this machine"));
        given().header("Forwarded", "for=203.0.113.7").when().get("/demo/jobs/1").then().statusCode(403);
        // the demo's own page: its origin is this host
        given().header("Origin", "http://localhost:" + RestAssured.port).when().get("/demo/jobs").then().statusCode(200);
        // the page itself and the dashboard are not the demo's endpoints
        given().header("Origin", "https://evil.example").when().get("/").then().statusCode(200);
    }

    @Test
    void servesThePage() {
        given().when().get("/").then().statusCode(200).body(containsString("Quarkus Hangfire demo"));
    }
}
