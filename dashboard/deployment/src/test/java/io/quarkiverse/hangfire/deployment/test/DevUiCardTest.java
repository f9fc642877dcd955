package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.Recurring;
import io.quarkus.devui.tests.DevUIJsonRPCTest;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * In dev mode, with a non-root HTTP root and REST path, the Dev UI knows the Hangfire card: its JSON-RPC method
 * returns the real counts of the jobs the application created, and its build-time data holds the dashboard link
 * and the job methods.
 */
class DevUiCardTest extends DevUIJsonRPCTest {

    /** A free port, so the dev-mode application does not collide with another one on 8080. */
    static final int PORT = freePort();
    static final String ROOT = "http://localhost:" + PORT + "/app";

    @RegisterExtension
    static final QuarkusDevModeTest app = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(ReportJobs.class, CreateJobsAtStartup.class, Ping.class)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.http.port=" + PORT,
                            "quarkus.http.root-path=/app",
                            "quarkus.rest.path=/api",
                            "quarkus.hangfire.dashboard.path=/ops/jobs",
                            "quarkus.datasource.db-kind=h2",
                            "quarkus.datasource.jdbc.url=jdbc:h2:mem:devui;DB_CLOSE_DELAY=-1",
                            "quarkus.devservices.enabled=false",
                            // the server runs 'default' only, so the jobs in 'reports' stay enqueued
                            "quarkus.hangfire.server.queues=default",
                            "quarkus.hangfire.server.poll-interval=100ms")),
                            "application.properties"));

    DevUiCardTest() {
        super("quarkus-hangfire", ROOT);
    }

    /** One test: each test method would start the application again, and create its jobs again. */
    @Test
    void theCardShowsTheRealCountsAndLinksToTheDashboard() throws Exception {
        theCountsAreTheJobsTheApplicationCreated();
        theBuildTimeDataHasTheDashboardLinkAndTheJobMethods();
    }

    private void theCountsAreTheJobsTheApplicationCreated() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode counts = executeJsonRPCMethod("getCounts");
            assertThat(counts.get("states").get("ENQUEUED").asLong()).isEqualTo(3);
            assertThat(counts.get("states").get("SCHEDULED").asLong()).isEqualTo(1);
            assertThat(counts.get("states").get("SUCCEEDED").asLong()).isEqualTo(1);
            assertThat(counts.get("states").get("FAILED").asLong()).isZero();
            assertThat(counts.get("enqueuedByQueue").get("reports").asLong()).isEqualTo(3);
            assertThat(counts.get("enqueuedByQueue").size()).isEqualTo(1);
            assertThat(counts.get("servers").asInt()).isEqualTo(1);
            assertThat(counts.get("recurring").asInt()).isEqualTo(1);
        });
    }

    private static void theBuildTimeDataHasTheDashboardLinkAndTheJobMethods() throws Exception {
        assertThat(buildTimeData("dashboardUrl").asText()).isEqualTo("/app/api/ops/jobs/");

        JsonNode jobs = buildTimeData("jobs");
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).get("name").asText()).isEqualTo("ReportJobs.generate");
        assertThat(jobs.get(0).get("queue").asText()).isEqualTo("reports");
        assertThat(jobs.get(0).get("method").asText()).isEqualTo(ReportJobs.class.getName() + "#generate");
        assertThat(jobs.get(0).get("recurring").asText()).isEmpty();
        assertThat(jobs.get(1).get("name").asText()).isEqualTo("ReportJobs.tidy");
        assertThat(jobs.get(1).get("queue").asText()).isEqualTo("default");
        assertThat(jobs.get(1).get("recurring").asText()).isEqualTo("nightly-tidy: 0 3 * * *");

        JsonNode pages = buildTimeData("pages");
        assertThat(pages.findValuesAsText("title")).containsExactly("Dashboard", "Job methods");
        assertThat(pages.get(0).get("metadata").get("externalUrl").asText()).isEqualTo("/app/api/ops/jobs/");
        assertThat(pages.get(0).get("embed").asBoolean()).isFalse();
    }

    /** One {@code export const key = json;} of the card's build-time data module. */
    private static JsonNode buildTimeData(String key) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ROOT + "/q/dev-ui/quarkus-hangfire-data.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String declaration = "export const " + key + " = ";
        int start = response.body().indexOf(declaration);
        assertThat(start).as("build-time data '%s' in %s", key, response.body()).isNotNegative();
        // readTree reads one JSON value and ignores what follows it
        return new ObjectMapper().readTree(new ObjectMapper().getFactory()
                .createParser(response.body().substring(start + declaration.length())));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class ReportJobs {

        @BackgroundJob(queue = "reports")
        public void generate(int customer) {
        }

        @BackgroundJob
        @Recurring(id = "nightly-tidy", cron = "0 3 * * *")
        public void tidy() {
        }
    }

    @Singleton
    public static class CreateJobsAtStartup {

        @Inject
        JobScheduler jobs;

        void create(@Observes StartupEvent event) {
            for (int customer = 1; customer <= 3; customer++) {
                int c = customer;
                jobs.enqueue(ReportJobs.class, r -> r.generate(c));
            }
            jobs.schedule(ReportJobs.class, r -> r.generate(4), Duration.ofHours(1));
            jobs.enqueue(ReportJobs.class, r -> r.tidy());
        }
    }

    /** Any REST endpoint: Quarkus REST deploys its application path only when it has one. */
    @Path("ping")
    public static class Ping {

        @GET
        public String ping() {
            return "pong";
        }
    }
}
