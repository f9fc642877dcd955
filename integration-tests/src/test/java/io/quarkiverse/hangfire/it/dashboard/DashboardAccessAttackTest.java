package io.quarkiverse.hangfire.it.dashboard;

import static io.quarkiverse.hangfire.it.dashboard.Dashboard.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.dashboard.CsrfTokens;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The attacks of the security review of the dashboard in production mode, replayed against the IT app (users admin,
 * viewer and outsider over basic auth), each with the safe outcome it must get.
 */
@QuarkusTest
class DashboardAccessAttackTest {

    private static final String NO_SUCH_JOB = "987654321987";
    private static final String COOKIE = "hangfire-csrf";
    private static final String HEADER = "X-Hangfire-CSRF";

    @Inject
    JobScheduler jobs;

    @Inject
    DashboardConfig config;

    @TestHTTPResource("/")
    URL root;

    // ---- 1. open redirect ----

    @Test
    void theRedirectToTheUiFolderGoesToTheConfiguredPathOnly() throws IOException {
        for (String target : List.of("//evil.com/%2e%2e/hangfire", "//evil.com/../hangfire", "/%2F%2Fevil.com/%2e%2e/hangfire",
                "///evil.com/%2e%2e/hangfire", "/\\evil.com/%2e%2e/hangfire", "/hangfire")) {
            RawResponse response = raw("GET", target, Map.of("Authorization", basic("admin")));
            assertThat(response.status).as(target).isLessThan(500);
            String location = response.header("Location");
            if (location != null) {
                assertThat(location).as(target).isEqualTo("/hangfire/");
            }
        }
        // the review's request reaches the UI, so its redirect is checked, not only allowed to vanish
        assertThat(raw("GET", "//evil.com/%2e%2e/hangfire", Map.of("Authorization", basic("admin"))).header("Location"))
                .isEqualTo("/hangfire/");
    }

    // ---- 2. origins ----

    @Test
    void anOpaqueOriginIsRefused() {
        String id = scheduledJob();
        action(Map.of("Origin", "null"), Map.of("ids", List.of(id))).then().statusCode(403)
                .contentType(ContentType.JSON).body("error", containsString("Origin: null"));
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);
        jobs.delete(id);
    }

    @Test
    void aMalformedOriginIsA403NeverA500() {
        String id = scheduledJob();
        String self = "http://" + root.getHost() + ":" + root.getPort();
        for (String origin : List.of("//localhost", "//" + root.getHost() + ":" + root.getPort(), "http://", "http:",
                "localhost", root.getHost() + ":" + root.getPort(), self + "/", self + "/hangfire", self + "?x",
                "http://admin@" + root.getHost() + ":" + root.getPort(), "javascript:alert(1)", "file:///etc/passwd",
                "ftp://" + root.getHost() + ":" + root.getPort(), "http://[::1", "http://%zz", "%%%", " ", "",
                self + ", https://evil.example", "https://evil.example", "http://" + root.getHost() + ":1",
                "http://" + root.getHost() + "." + ":" + root.getPort() + "x")) {
            action(Map.of("Origin", origin), Map.of("ids", List.of(id))).then().statusCode(403)
                    .contentType(ContentType.JSON).body("error", containsString("rigin"));
        }
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);
        // the dashboard's own origin, as a browser sends it, is accepted
        action(Map.of("Origin", self), Map.of("ids", List.of(id))).then().statusCode(200)
                .body("changed", equalTo(List.of(id)));
    }

    // ---- 3. headers ----

    @Test
    void everyAnswerOfTheApiForbidsSniffingAndCaching() {
        String id = scheduledJob();
        Dashboard admin = as("admin");
        Map<String, ExtractableResponse<Response>> answers = new LinkedHashMap<>();
        for (String path : List.of("/api/me", "/api/stats", "/api/history", "/api/jobs", "/api/retries", "/api/queues",
                "/api/recurring", "/api/servers", "/api/openapi.json", "/api/jobs/" + id, "/")) {
            answers.put("200 " + path, admin.get(path).then().statusCode(200).extract());
        }
        answers.put("303", admin.request().redirects().follow(false).get("").then().statusCode(303).extract());
        answers.put("400", admin.get("/api/jobs?limit=0").then().statusCode(400).extract());
        answers.put("401", given().basePath(Dashboard.PATH).get("/api/stats").then().statusCode(401).extract());
        answers.put("403 outsider", as("outsider").get("/api/stats").then().statusCode(403).extract());
        answers.put("403 viewer", as("viewer").post("/api/jobs/delete", Map.of("ids", List.of(id))).then().statusCode(403)
                .extract());
        answers.put("403 csrf", admin.request().contentType(ContentType.JSON).body(Map.of("ids", List.of(id)))
                .post("/api/jobs/delete").then().statusCode(403).extract());
        answers.put("404", admin.get("/api/jobs/" + NO_SUCH_JOB).then().statusCode(404).extract());
        answers.put("409", admin.post("/api/jobs/" + id + "/requeue", Map.of("expectedState", "FAILED")).then()
                .statusCode(409).extract());
        // answers Quarkus writes itself, before or instead of the dashboard's resource
        answers.put("404 no such path", admin.get("/api/no-such-thing").then().statusCode(404).extract());
        answers.put("405", admin.request().delete("/api/stats").then().statusCode(405).extract());
        answers.put("415", admin.request().contentType(ContentType.URLENC).formParam("ids", id).post("/api/jobs/delete")
                .then().statusCode(415).extract());
        answers.forEach((answer, response) -> {
            assertThat(response.header("X-Content-Type-Options")).as(answer).isEqualTo("nosniff");
            assertThat(response.header("Cache-Control")).as(answer).isEqualTo("no-store");
        });
        // the UI's script and the chart library keep their own caching, with nosniff
        assertThat(admin.get("/assets/app.js").then().statusCode(200).extract().header("Cache-Control")).isEqualTo("no-cache");
        var chart = admin.get("/lib/chart.js").then().statusCode(200).extract();
        assertThat(chart.header("Cache-Control")).isEqualTo("max-age=86400");
        assertThat(chart.header("X-Content-Type-Options")).isEqualTo("nosniff");
        // the application's own endpoints are not the dashboard's business
        var own = given().get("/it/counts").then().statusCode(200).extract();
        assertThat(own.header("X-Content-Type-Options")).isNull();
        assertThat(own.header("Cache-Control")).isNull();
        jobs.delete(id);
    }

    // ---- 4. the cookie's Secure flag ----

    @Test
    void overPlainHttpTheCookieIsNotSecureWhateverAnUntrustedProxyHeaderSays() {
        // this app does not trust forwarding headers (quarkus.http.proxy.*), so a client cannot claim HTTPS
        for (var request : List.of(as("admin").request(), as("admin").request().header("X-Forwarded-Proto", "https"),
                as("admin").request().header("Forwarded", "proto=https"))) {
            var cookie = request.get("/api/me").then().statusCode(200).extract().detailedCookie(COOKIE);
            assertThat(cookie.isSecured()).isFalse();
        }
    }

    // ---- 5. tokens the server did not issue ----

    @Test
    void aTokenTheClientMadeUpIsRefused() {
        String id = scheduledJob();
        for (String token : List.of("abc", "", "0.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "x".repeat(5000))) {
            withToken(as("admin").request(), token).body(Map.of("ids", List.of(id))).post("/api/jobs/delete").then()
                    .statusCode(403).contentType(ContentType.JSON).header("X-Hangfire-CSRF", "refused")
                    .body("error", containsString("CSRF token"));
        }
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);
        jobs.delete(id);
    }

    @Test
    void aTokenIssuedToOneUserIsRefusedForAnother() {
        String id = scheduledJob();
        String viewers = as("viewer").csrf();
        withToken(as("admin").request(), viewers).body(Map.of("ids", List.of(id))).post("/api/jobs/delete").then()
                .statusCode(403).body("error", containsString("not issued to user 'admin'"));
        // signed with the right key for another name, or for the anonymous local user
        for (String subject : List.of(CsrfTokens.subject("viewer"), CsrfTokens.subject("Admin"), CsrfTokens.subject(null))) {
            withToken(as("admin").request(), tokens(Clock.systemUTC()).issue(subject)).body(Map.of("ids", List.of(id)))
                    .post("/api/jobs/delete").then().statusCode(403);
        }
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);
        // the same user's own token works
        withToken(as("admin").request(), tokens(Clock.systemUTC()).issue(CsrfTokens.subject("admin")))
                .body(Map.of("ids", List.of(id))).post("/api/jobs/delete").then().statusCode(200)
                .body("changed", equalTo(List.of(id)));
    }

    @Test
    void aTokenSignedWithAnotherKeyOrAlteredIsRefused() {
        String id = scheduledJob();
        byte[] otherKey = "another-key-of-at-least-32-bytes-0123456789".getBytes(StandardCharsets.UTF_8);
        String foreign = new CsrfTokens(otherKey, Clock.systemUTC()).issue(CsrfTokens.subject("admin"));
        String own = as("admin").csrf();
        String[] parts = own.split("\\.");
        String laterIssue = (Long.parseLong(parts[0]) + 1) + "." + parts[1] + "." + parts[2];
        String otherNonce = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]) + "."
                + parts[2];
        for (String token : List.of(foreign, laterIssue, otherNonce, own + "x", own.toUpperCase(Locale.ROOT))) {
            withToken(as("admin").request(), token).body(Map.of("ids", List.of(id))).post("/api/jobs/delete").then()
                    .statusCode(403);
        }
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);
        jobs.delete(id);
    }

    @Test
    void anExpiredTokenIsRefusedAndAnOldOneRenewedOnThePageLoad() {
        String id = scheduledJob();
        String expired = tokens(clockAgo(CsrfTokens.LIFETIME.plusMinutes(1))).issue(CsrfTokens.subject("admin"));
        withToken(as("admin").request(), expired).body(Map.of("ids", List.of(id))).post("/api/jobs/delete").then()
                .statusCode(403).body("error", containsString("expired"));
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);

        // GET api/me and the UI hand out a new token when the one sent is expired, old, made up or someone else's
        String old = tokens(clockAgo(CsrfTokens.RENEW_AFTER.plusMinutes(1))).issue(CsrfTokens.subject("admin"));
        for (String sent : List.of(expired, old, "abc", as("viewer").csrf())) {
            for (String page : List.of("/api/me", "/")) {
                String renewed = as("admin").request().cookie(COOKIE, sent).get(page).then()
                        .statusCode(200).extract().cookie(COOKIE);
                assertThat(renewed).as(page + " with " + sent).isNotNull().isNotEqualTo(sent);
                withToken(as("admin").request(), renewed).body(Map.of("ids", List.of(NO_SUCH_JOB)))
                        .post("/api/jobs/delete").then().statusCode(200);
            }
        }
        // a recent token of the same user is kept
        String recent = as("admin").csrf();
        assertThat(as("admin").request().cookie(COOKIE, recent).get("/api/me").then().statusCode(200)
                .extract().cookie(COOKIE)).isNull();
        // an old token still acts until it expires
        withToken(as("admin").request(), old).body(Map.of("ids", List.of(id))).post("/api/jobs/delete").then()
                .statusCode(200).body("changed", equalTo(List.of(id)));
    }

    // ---- helpers ----

    private static RequestSpecification withToken(RequestSpecification request, String token) {
        return request.cookie(COOKIE, token).header(HEADER, token)
                .contentType(ContentType.JSON);
    }

    /** A bulk delete as admin with a valid token and these extra headers. */
    private Response action(Map<String, String> headers, Object body) {
        return withToken(as("admin").request(), as("admin").csrf()).headers(headers).body(body).post("/api/jobs/delete");
    }

    /** Tokens as the IT app signs them: its key is set in application.properties, as a cluster's would be. */
    private CsrfTokens tokens(Clock clock) {
        return new CsrfTokens(config.dashboard().csrfKey().orElseThrow().get().getBytes(StandardCharsets.UTF_8), clock);
    }

    private static Clock clockAgo(Duration ago) {
        return Clock.fixed(Instant.now().minus(ago), ZoneOffset.UTC);
    }

    private String scheduledJob() {
        return jobs.schedule("TestJobs.record", Duration.ofHours(1), "attack-" + UUID.randomUUID());
    }

    private JobState state(String id) {
        return jobs.monitor().job(id).map(JobDetails::state).orElse(null);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    /** A request sent as written, with no client in between to normalise its target. */
    private RawResponse raw(String method, String target, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + root.getHost() + ":"
                    + root.getPort() + "\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            // the head only: the body does not matter here
            int b;
            int endOfLines = 0;
            while (endOfLines < 4 && (b = in.read()) >= 0) {
                head.write(b);
                endOfLines = (b == '\r' || b == '\n') ? endOfLines + 1 : 0;
            }
            return new RawResponse(head.toString(StandardCharsets.ISO_8859_1));
        }
    }

    private static final class RawResponse {
        final int status;
        final Map<String, String> headers = new LinkedHashMap<>();

        RawResponse(String head) {
            String[] lines = head.split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
