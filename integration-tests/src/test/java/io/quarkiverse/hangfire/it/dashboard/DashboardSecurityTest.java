package io.quarkiverse.hangfire.it.dashboard;

import static io.quarkiverse.hangfire.it.dashboard.Dashboard.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The IT app runs the dashboard as production does (open-on-localhost=false): logged-in users with a role only,
 * read-only users cannot act, actions need the CSRF token.
 */
@QuarkusTest
class DashboardSecurityTest {

    static final List<String> READS = List.of("/", "/api/me", "/api/stats", "/api/history", "/api/jobs", "/api/retries",
            "/api/queues", "/api/recurring", "/api/servers", "/api/openapi.json", "/assets/app.js", "/lib/chart.js");

    @Inject
    JobScheduler jobs;

    @Test
    void anonymousRequestsAreRefusedWithABasicAuthChallenge() {
        for (String path : READS) {
            given().basePath(Dashboard.PATH).get(path).then().statusCode(401)
                    .header("WWW-Authenticate", org.hamcrest.Matchers.containsStringIgnoringCase("basic"));
        }
        given().basePath(Dashboard.PATH).contentType(ContentType.JSON).body(Map.of("ids", List.of("1")))
                .post("/api/jobs/delete").then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").basePath(Dashboard.PATH).get("/api/stats").then().statusCode(401);
    }

    @Test
    void aUserWithoutADashboardRoleIsRefused() {
        for (String path : READS) {
            as("outsider").get(path).then().statusCode(403);
        }
        as("outsider").get("/api/stats").then().body("error", containsString("none of the dashboard's roles"));
    }

    @Test
    void aReadOnlyUserSeesEverythingButCannotAct() {
        for (String path : READS) {
            as("viewer").get(path).then().statusCode(200);
        }
        assertThat(as("viewer").get("/api/me").jsonPath().getBoolean("readOnly")).isTrue();
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), "viewer-" + UUID.randomUUID());
        Dashboard viewer = as("viewer");
        viewer.post("/api/jobs/delete", Map.of("ids", List.of(id))).then().statusCode(403)
                .body("error", containsString("may look at the dashboard but not change jobs"));
        viewer.post("/api/jobs/" + id + "/delete", Map.of()).then().statusCode(403);
        viewer.post("/api/jobs/" + id + "/enqueue-now", Map.of()).then().statusCode(403);
        viewer.post("/api/recurring/trigger", Map.of("ids", List.of("it-nightly"))).then().statusCode(403);
        viewer.post("/api/recurring/it-nightly/pause", Map.of()).then().statusCode(403);
        assertThat(jobs.monitor().job(id).map(JobDetails::state)).contains(JobState.SCHEDULED);
        assertThat(jobs.recurring().get("it-nightly").orElseThrow().paused()).isFalse();
        jobs.delete(id);
    }

    @Test
    void actionsWithoutTheCsrfTokenAreRefused() {
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), "csrf-" + UUID.randomUUID());
        Dashboard admin = as("admin");
        String token = admin.csrf();
        Map<String, Object> body = Map.of("ids", List.of(id));
        // no token at all
        admin.request().contentType(ContentType.JSON).body(body).post("/api/jobs/delete").then().statusCode(403)
                .body("error", containsString("CSRF"));
        // the cookie alone, as a forged form or cross-site request would send it
        admin.request().cookie("hangfire-csrf", token).contentType(ContentType.JSON).body(body).post("/api/jobs/delete")
                .then().statusCode(403);
        // a header that does not match the cookie
        admin.request().cookie("hangfire-csrf", token).header("X-Hangfire-CSRF", token + "x").contentType(ContentType.JSON)
                .body(body).post("/api/jobs/delete").then().statusCode(403);
        // the header without the cookie
        admin.request().header("X-Hangfire-CSRF", token).contentType(ContentType.JSON).body(body).post("/api/jobs/delete")
                .then().statusCode(403);
        // the right token from another site's page
        admin.request().cookie("hangfire-csrf", token).header("X-Hangfire-CSRF", token).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).body(body).post("/api/jobs/delete").then().statusCode(403)
                .body("error", containsString("Cross-origin"));
        assertThat(jobs.monitor().job(id).map(JobDetails::state)).contains(JobState.SCHEDULED);
        // reads need no token; a form post is not accepted at all
        admin.request().contentType(ContentType.URLENC).formParam("ids", id).cookie("hangfire-csrf", token)
                .header("X-Hangfire-CSRF", token).post("/api/jobs/delete").then().statusCode(415);
        admin.post("/api/jobs/delete", body).then().statusCode(200).body("changed", equalTo(List.of(id)));
    }

    @Test
    void theCsrfCookieIsStrictAndScopedToTheDashboard() {
        var cookie = as("admin").get("/api/me").then().statusCode(200).extract().detailedCookie("hangfire-csrf");
        assertThat(cookie.getPath()).isEqualTo("/hangfire");
        assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(cookie.getValue()).hasSizeGreaterThan(30);
    }

    @Test
    void noConnectionStringOrPasswordIsShown() {
        for (String path : List.of("/api/me", "/api/stats", "/api/servers", "/api/queues", "/api/recurring", "/api/jobs")) {
            assertThat(as("admin").get(path).asString()).doesNotContain("jdbc:").doesNotContainIgnoringCase("password=");
        }
    }

    @Test
    void htmlInDataIsJsonNotMarkup() {
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), "<script>alert('x')</script>");
        var response = as("admin").get("/api/jobs/" + id).then().statusCode(200).extract();
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("arguments[0].value")).isEqualTo("\"<script>alert('x')</script>\"");
        jobs.delete(id);
    }
}
