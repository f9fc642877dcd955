package io.quarkiverse.hangfire.it.nativeimage;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.awaitState;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.key;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.HttpCredentials;
import com.microsoft.playwright.options.HttpCredentialsSend;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The dashboard of the app run as a process (the native image): its JSON API as logged-in users, with an action
 * under CSRF protection, and its page in a real headless Chromium ({@code /usr/bin/chromium} or
 * {@code -Dit.chromium=...}) without a console error, failed request or error response.
 */
@QuarkusIntegrationTest
@WithTestResource(NativeDatabase.class)
class DashboardNativeIT {

    @TestHTTPResource("/hangfire/")
    URL dashboard;

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user).basePath("/hangfire");
    }

    @Test
    void theApiAnswersLoggedInUsersByRoleAndChecksCsrf() {
        String title = key("native-report");
        String id = post("/report/{title}", title);
        awaitState(id, "SUCCEEDED");

        JsonPath stats = as("viewer").get("/api/stats").then().statusCode(200).extract().jsonPath();
        assertThat(stats.getLong("totals.SUCCEEDED")).isPositive();
        assertThat(stats.getLong("servers")).isPositive();
        JsonPath job = as("viewer").get("/api/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getString("jobName")).isEqualTo("DashboardJobs.report");
        assertThat(job.getList("arguments.value", String.class)).containsExactly("\"" + title + "\"", "***");
        assertThat(job.getString("parameters.apiKey")).isEqualTo("***");
        assertThat(job.getInt("progress")).isEqualTo(100);
        assertThat(job.getList("log.line", String.class)).containsExactly("Starting report " + title,
                "Half way through <b>" + title + "</b>");
        assertThat(as("admin").get("/api/jobs?text=" + title).asString()).doesNotContain("secret-");
        assertThat(as("admin").get("/api/recurring").then().statusCode(200).extract().jsonPath()
                .getList("id", String.class)).contains("it-nightly");
        assertThat(as("admin").get("/api/queues").then().statusCode(200).extract().jsonPath().getList("name", String.class))
                .contains("critical", "default");
        as("admin").get("/api/openapi.json").then().statusCode(200).contentType(ContentType.JSON);

        // an action: the CSRF cookie and header are both needed, and a viewer may not act
        String csrf = as("admin").get("/api/me").then().statusCode(200).extract().cookie("hangfire-csrf");
        assertThat(csrf).isNotBlank();
        as("admin").contentType(ContentType.JSON).body(Map.of()).post("/api/jobs/" + id + "/requeue").then()
                .statusCode(403);
        as("admin").cookie("hangfire-csrf", csrf).header("X-Hangfire-CSRF", csrf).contentType(ContentType.JSON)
                .body(Map.of("expectedState", "SUCCEEDED")).post("/api/jobs/" + id + "/requeue").then().statusCode(200);
        awaitState(id, "SUCCEEDED");
        String viewerCsrf = as("viewer").get("/api/me").then().statusCode(200).extract().cookie("hangfire-csrf");
        as("viewer").cookie("hangfire-csrf", viewerCsrf).header("X-Hangfire-CSRF", viewerCsrf)
                .contentType(ContentType.JSON).body(Map.of()).post("/api/jobs/" + id + "/delete").then().statusCode(403);
        as("outsider").get("/api/stats").then().statusCode(403);
        given().basePath("/hangfire").get("/api/stats").then().statusCode(401);
    }

    @Test
    void thePageLoadsInChromium() {
        Path chromium = Paths.get(System.getProperty("it.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            Assertions.fail("The dashboard browser test needs Chromium at " + chromium
                    + " (Debian: apt-get install chromium), or its path in -Dit.chromium=...");
        }
        String failed = key("native-browser");
        String failedId = post("/fails-once/{key}", failed);
        post("/jobs/{id}/perform", failedId);

        List<String> problems = new CopyOnWriteArrayList<>();
        String base = dashboard.toString();
        try (Playwright playwright = Playwright
                .create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                        .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
                BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                        .setHttpCredentials(new HttpCredentials("admin", "admin").setSend(HttpCredentialsSend.ALWAYS)))) {
            context.setDefaultTimeout(20_000);
            Page page = context.newPage();
            page.onConsoleMessage(message -> {
                if ("error".equals(message.type())) {
                    problems.add("console error: " + message.text() + " at " + message.location());
                }
            });
            page.onPageError(error -> problems.add("page error: " + error));
            page.onRequestFailed(request -> problems.add("request failed: " + request.url() + ": " + request.failure()));
            page.onResponse(response -> {
                if (response.url().startsWith(base) && response.status() >= 400) {
                    problems.add("response " + response.status() + ": " + response.url());
                }
            });

            page.navigate(base + "#/");
            assertThat(page.locator("#user-name")).hasText("admin");
            assertThat(page.locator("[data-tile=SUCCEEDED] .tile-value")).hasText(Pattern.compile("\\d"));
            assertThat(page.locator("canvas")).hasCount(3);

            page.navigate(base + "#/jobs/" + failedId);
            assertThat(page.locator(".job-title .badge")).hasText("Failed");
            assertThat(page.locator(".exception .stack-trace")).containsText("TestJobs.failsOnce");
            page.locator(".job-header button[data-action=delete]").click();
            assertThat(page.locator(".job-title .badge")).hasText("Deleted");
        }
        assertThat(Remote.state(failedId)).isEqualTo("DELETED");
        assertThat(problems).as("console errors, page errors, failed requests and error responses").isEmpty();
    }
}
