package io.quarkiverse.hangfire.it.dashboard;

import static io.quarkiverse.hangfire.it.dashboard.Dashboard.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.it.DashboardJobs;
import io.quarkiverse.hangfire.it.TestJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Every endpoint and action of the dashboard's JSON API, as the admin user, against the real database. */
@QuarkusTest
class DashboardApiTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    JobScheduler jobs;

    final Dashboard admin = as("admin");

    @Test
    void statsCountJobsPerStateAndTotals() {
        long before = as("admin").get("/api/stats").then().statusCode(200).extract().jsonPath().getLong("totals.SUCCEEDED");
        String id = jobs.enqueue(TestJobs.class, j -> j.record(key("stats")));
        awaitState(id, JobState.SUCCEEDED);
        JsonPath stats = admin.get("/api/stats").then().statusCode(200).extract().jsonPath();
        assertThat(stats.getMap("states")).containsOnlyKeys("ENQUEUED", "SCHEDULED", "AWAITING", "PROCESSING", "SUCCEEDED",
                "FAILED", "DELETED");
        assertThat(stats.getLong("states.SUCCEEDED")).isPositive();
        assertThat(stats.getLong("totals.SUCCEEDED")).isGreaterThan(before);
        assertThat(stats.getLong("servers")).isPositive();
        assertThat(stats.getLong("recurring")).isGreaterThanOrEqualTo(2);
        assertThat(stats.getString("now")).endsWith("Z");
    }

    @Test
    void historyHasTwentyFourHoursOrSevenDays() {
        JsonPath hours = admin.get("/api/history?unit=HOURS").then().statusCode(200).extract().jsonPath();
        assertThat(hours.getList("points")).hasSize(24);
        assertThat(hours.getString("points[0].start")).endsWith(":00:00Z");
        assertThat(hours.getMap("points[23]")).containsKeys("SUCCEEDED", "FAILED", "DELETED");
        assertThat(admin.get("/api/history?unit=DAYS").then().statusCode(200).extract().jsonPath().getList("points"))
                .hasSize(7);
        admin.get("/api/history?unit=WEEKS").then().statusCode(400).body("error", containsString("HOURS or DAYS"));
    }

    @Test
    void listsFilterByStateNameQueueAndTextNewestFirst() {
        String key = key("Filter");
        List<String> ids = new ArrayList<>();
        for (String suffix : List.of("a", "b", "c")) {
            ids.add(jobs.schedule("TestJobs.record", Duration.ofHours(1), key + "-" + suffix));
        }
        String other = jobs.schedule("critical.record", Duration.ofHours(1), key + "-critical");
        try {
            JsonPath all = admin.get("/api/jobs?text=" + key).then().statusCode(200).extract().jsonPath();
            assertThat(all.getLong("total")).isEqualTo(4);
            assertThat(all.getList("jobs.id", String.class)).containsExactly(other, ids.get(2), ids.get(1), ids.get(0));
            assertThat(all.getString("jobs[1].arguments")).isEqualTo("[\"" + key + "-c\"]");

            assertThat(ids(admin.get("/api/jobs?state=SCHEDULED&name=TestJobs.record&text=" + key).jsonPath()))
                    .containsExactly(ids.get(2), ids.get(1), ids.get(0));
            assertThat(ids(admin.get("/api/jobs?queue=critical&text=" + key).jsonPath())).containsExactly(other);
            assertThat(ids(admin.get("/api/jobs?state=ENQUEUED&text=" + key).jsonPath())).isEmpty();
            // case-insensitive, and % and _ are plain characters
            assertThat(ids(admin.get("/api/jobs?text=" + key.toUpperCase() + "-B").jsonPath())).containsExactly(ids.get(1));
            assertThat(ids(admin.get("/api/jobs?text=" + key + "%25").jsonPath())).isEmpty();
            assertThat(ids(admin.get("/api/jobs?text=" + key.replace('-', '_')).jsonPath())).isEmpty();

            JsonPath page = admin.get("/api/jobs?state=SCHEDULED&text=" + key + "&offset=1&limit=2").jsonPath();
            assertThat(page.getLong("total")).isEqualTo(4);
            assertThat(page.getList("jobs.id", String.class)).containsExactly(ids.get(2), ids.get(1));

            admin.get("/api/jobs?state=NOPE").then().statusCode(400).body("error", containsString("Unknown state 'NOPE'"));
            admin.get("/api/jobs?limit=0").then().statusCode(400).body("error", containsString("limit"));
            admin.get("/api/jobs?limit=501").then().statusCode(400);
        } finally {
            ids.forEach(jobs::delete);
            jobs.delete(other);
        }
    }

    @Test
    void textFindsTheExceptionOfAFailedJob() {
        String key = key("exc");
        String message = "Boom " + UUID.randomUUID();
        String id = jobs.enqueue(DashboardJobs.class, j -> j.explode(key, message, 5));
        awaitState(id, JobState.FAILED);
        assertThat(ids(admin.get("/api/jobs?state=FAILED&text=" + message.substring(5)).jsonPath())).containsExactly(id);
        jobs.delete(id);
    }

    @Test
    void jobDetailsShowArgumentsParametersHistoryProgressAndLog() {
        String title = key("report");
        String id = jobs.enqueue(DashboardJobs.class, j -> j.report(title, "s3cret", null));
        awaitState(id, JobState.SUCCEEDED);
        JsonPath job = admin.get("/api/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getString("jobName")).isEqualTo("DashboardJobs.report");
        assertThat(job.getList("arguments.name", String.class)).containsExactly("title", "password");
        assertThat(job.getList("arguments.value", String.class)).containsExactly("\"" + title + "\"", "***");
        assertThat(job.getString("parameters.apiKey")).isEqualTo("***");
        assertThat(job.getInt("progress")).isEqualTo(100);
        assertThat(job.getList("log.line", String.class)).containsExactly("Starting report " + title,
                "Half way through <b>" + title + "</b>");
        assertThat(job.getInt("log[0].attempt")).isEqualTo(1);
        assertThat(job.getList("history.state", String.class)).containsExactly("SUCCEEDED", "PROCESSING", "ENQUEUED");
        assertThat(job.getMap("history[0].data")).containsKey("duration");
        assertThat(job.getString("exception")).isNull();
        // nothing secret anywhere in the answer
        assertThat(admin.get("/api/jobs/" + id).asString()).doesNotContain("s3cret").doesNotContain("k-123");
        assertThat(admin.get("/api/jobs?text=" + title).asString()).doesNotContain("s3cret");
    }

    @Test
    void failedJobDetailsCarryTheExceptionWithStackTrace() {
        String key = key("failed");
        String id = jobs.enqueue(DashboardJobs.class, j -> j.explode(key, "<script>alert(1)</script>", 1));
        awaitState(id, JobState.FAILED);
        JsonPath job = admin.get("/api/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getString("exception.type")).isEqualTo("java.lang.IllegalStateException");
        assertThat(job.getString("exception.message")).isEqualTo("<script>alert(1)</script>");
        assertThat(job.getString("exception.stackTrace")).contains("DashboardJobs.explode");
        jobs.delete(id);
    }

    @Test
    void parentAndContinuationsLinkEachOther() {
        String parent = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("parent"));
        String child = jobs.continueWith(parent, ContinuationOption.ON_ANY_FINAL_STATE, "TestJobs.record", key("child"));
        JsonPath parentView = admin.get("/api/jobs/" + parent).jsonPath();
        assertThat(parentView.getList("continuations.id", String.class)).containsExactly(child);
        assertThat(parentView.getString("continuations[0].state")).isEqualTo("AWAITING");
        assertThat(parentView.getString("continuations[0].option")).isEqualTo("ON_ANY_FINAL_STATE");
        assertThat(admin.get("/api/jobs/" + child).jsonPath().getString("parent.id")).isEqualTo(parent);
        jobs.delete(parent);
        awaitState(child, JobState.SUCCEEDED);
    }

    @Test
    void unknownJobsAnswer404() {
        admin.get("/api/jobs/999999999").then().statusCode(404).body("error", equalTo("There is no job 999999999"));
        admin.get("/api/jobs/abc").then().statusCode(404);
        admin.post("/api/jobs/999999999/requeue", Map.of()).then().statusCode(404);
    }

    @Test
    void bulkActionsApplyTheExpectedStateGuardInOneRequest() {
        String a = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("bulk-a"));
        String b = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("bulk-b"));
        String c = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("bulk-c"));

        JsonPath deleted = admin.post("/api/jobs/delete", Map.of("ids", List.of(a, b), "expectedState", "SCHEDULED"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(deleted.getList("changed", String.class)).containsExactlyInAnyOrder(a, b);
        assertThat(deleted.getList("skipped")).isEmpty();
        assertThat(state(a)).isEqualTo(JobState.DELETED);

        // a is Deleted now: the guard passes over it, c is changed, an unknown id is skipped
        JsonPath second = admin.post("/api/jobs/delete", Map.of("ids", List.of(a, c, "123456789012", "x"),
                "expectedState", "SCHEDULED")).then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("changed", String.class)).containsExactly(c);
        assertThat(second.getList("skipped", String.class)).containsExactlyInAnyOrder(a, "123456789012", "x");

        JsonPath requeued = admin.post("/api/jobs/requeue", Map.of("ids", List.of(a, b, c), "expectedState", "DELETED"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(requeued.getList("changed", String.class)).containsExactlyInAnyOrder(a, b, c);
        for (String id : List.of(a, b, c)) {
            awaitState(id, JobState.SUCCEEDED);
        }

        admin.post("/api/jobs/requeue", Map.of("ids", List.of())).then().statusCode(400);
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Integer.toString(i));
        }
        admin.post("/api/jobs/delete", Map.of("ids", tooMany)).then().statusCode(400).body("error", containsString("1000"));
        admin.post("/api/jobs/delete", Map.of("ids", List.of(a), "expectedState", "NOPE")).then().statusCode(400);
    }

    @Test
    void enqueueNowRunsScheduledJobsAtOnce() {
        String bulk = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("now-bulk"));
        String single = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("now-single"));
        String done = jobs.enqueue("TestJobs.record", key("now-done"));
        awaitState(done, JobState.SUCCEEDED);
        // the guard: a Scheduled job is not enqueued by a request made on the Awaiting list
        assertThat(admin.post("/api/jobs/enqueue-now", Map.of("ids", List.of(bulk), "expectedState", "AWAITING"))
                .jsonPath().getList("skipped", String.class)).containsExactly(bulk);
        JsonPath result = admin.post("/api/jobs/enqueue-now", Map.of("ids", List.of(bulk, done))).then().statusCode(200)
                .extract().jsonPath();
        assertThat(result.getList("changed", String.class)).containsExactly(bulk);
        assertThat(result.getList("skipped", String.class)).containsExactly(done);
        admin.post("/api/jobs/" + single + "/enqueue-now", Map.of("expectedState", "SCHEDULED")).then().statusCode(200)
                .body("changed", equalTo(true));
        awaitState(bulk, JobState.SUCCEEDED);
        awaitState(single, JobState.SUCCEEDED);
        admin.post("/api/jobs/" + single + "/enqueue-now", Map.of()).then().statusCode(409)
                .body("state", equalTo("SUCCEEDED"));
    }

    @Test
    void singleActionsAnswer409WhenTheJobMovedOn() {
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("single"));
        admin.post("/api/jobs/" + id + "/delete", Map.of("expectedState", "FAILED")).then().statusCode(409)
                .body("state", equalTo("SCHEDULED")).body("error", containsString("not FAILED"));
        assertThat(state(id)).isEqualTo(JobState.SCHEDULED);
        admin.post("/api/jobs/" + id + "/delete", Map.of("expectedState", "SCHEDULED")).then().statusCode(200)
                .body("changed", equalTo(true));
        admin.post("/api/jobs/" + id + "/delete", Map.of()).then().statusCode(409).body("state", equalTo("DELETED"));
        admin.post("/api/jobs/" + id + "/requeue", Map.of("expectedState", "DELETED")).then().statusCode(200);
        awaitState(id, JobState.SUCCEEDED);
    }

    @Test
    void batchesShowProgressJobsAndContinuationsAndAreRequeuedAndDeleted() {
        String key = key("batch-api");
        java.util.concurrent.atomic.AtomicReference<String> failing = new java.util.concurrent.atomic.AtomicReference<>();
        String batch = jobs.batch("api <b>batch</b>", b -> {
            failing.set(b.enqueue("TestJobs.failsOnce", key + ":fails"));
            b.schedule(io.quarkiverse.hangfire.it.TestJobs.class, j -> j.record(key), Duration.ofHours(1));
            b.batch("nested", n -> n.schedule(io.quarkiverse.hangfire.it.TestJobs.class, j -> j.record(key),
                    Duration.ofHours(1)));
        });
        String next = jobs.continueBatchWith(batch, io.quarkiverse.hangfire.it.TestJobs.class, j -> j.record(key + ":next"),
                io.quarkiverse.hangfire.ContinuationOption.ON_ANY_FINAL_STATE);
        awaitState(failing.get(), JobState.FAILED);

        admin.get("/api/batches?limit=50").then().statusCode(200).body("batches.id", hasItem(batch));
        admin.get("/api/batches/" + batch).then().statusCode(200)
                .body("batch.description", equalTo("api <b>batch</b>"))
                .body("batch.total", equalTo(3)).body("batch.failed", equalTo(1)).body("batch.state", equalTo("STARTED"))
                .body("jobs.FAILED.id", contains(failing.get())).body("jobs.SCHEDULED", hasSize(1))
                .body("nested.description", contains("nested")).body("continuationJobs.id", contains(next));
        admin.get("/api/jobs/" + failing.get()).then().statusCode(200).body("batchId", equalTo(batch));
        admin.get("/api/batches/999999999").then().statusCode(404);
        admin.get("/api/batches/not-a-batch").then().statusCode(404);

        admin.post("/api/batches/" + batch + "/requeue", Map.of()).then().statusCode(200).body("jobs", equalTo(1));
        awaitState(failing.get(), JobState.FAILED);
        admin.post("/api/batches/" + batch + "/delete", Map.of()).then().statusCode(200).body("jobs", equalTo(3));
        admin.get("/api/batches/" + batch).then().statusCode(200).body("batch.state", equalTo("DELETED"));
        awaitState(next, JobState.SUCCEEDED);
        admin.post("/api/batches/999999999/delete", Map.of()).then().statusCode(404);
        as("viewer").post("/api/batches/" + batch + "/delete", Map.of()).then().statusCode(403);
        admin.request().contentType(io.restassured.http.ContentType.JSON).body(Map.of())
                .post("/api/batches/" + batch + "/requeue").then().statusCode(403);
    }

    @Test
    void retriesListJobsWaitingForAnAutomaticRetry() {
        String key = key("retry");
        String id = jobs.enqueue(DashboardJobs.class, j -> j.retriedLater(key));
        awaitState(id, JobState.SCHEDULED);
        JsonPath retries = admin.get("/api/retries?limit=500").then().statusCode(200).extract().jsonPath();
        assertThat(retries.getList("jobs.id", String.class)).contains(id);
        assertThat(admin.get("/api/stats").jsonPath().getLong("retries")).isPositive();
        String plainScheduled = jobs.schedule("TestJobs.record", Duration.ofHours(1), key("not-a-retry"));
        assertThat(admin.get("/api/retries?limit=500").jsonPath().getList("jobs.id", String.class)).doesNotContain(
                plainScheduled);
        admin.post("/api/jobs/delete", Map.of("ids", List.of(id, plainScheduled), "expectedState", "SCHEDULED")).then()
                .statusCode(200);
        assertThat(admin.get("/api/retries?limit=500").jsonPath().getList("jobs.id", String.class)).doesNotContain(id);
    }

    @Test
    void queuesShowWaitingJobs() {
        String id = jobs.enqueue("TestJobs.unserved", key("queue"));
        try {
            JsonPath queues = admin.get("/api/queues").then().statusCode(200).extract().jsonPath();
            assertThat(queues.getList("name", String.class)).startsWith("critical", "default", "limited").contains("elsewhere");
            Map<String, Object> elsewhere = queues.getMap("find { it.name == 'elsewhere' }");
            assertThat(((Number) elsewhere.get("enqueued")).longValue()).isPositive();
            assertThat(queues.getList("find { it.name == 'elsewhere' }.next.id", String.class)).isNotEmpty();
        } finally {
            jobs.delete(id);
        }
    }

    @Test
    void recurringJobsAreListedTriggeredPausedAndResumed() {
        JsonPath list = admin.get("/api/recurring").then().statusCode(200).extract().jsonPath();
        assertThat(list.getString("find { it.id == 'it-nightly' }.cron")).isEqualTo("0 0 3 * * *");
        assertThat(list.getString("find { it.id == 'it-nightly' }.zone")).isEqualTo("Europe/Berlin");

        JsonPath triggered = admin.post("/api/recurring/trigger", Map.of("ids", List.of("it-nightly", "no-such")))
                .then().statusCode(200).extract().jsonPath();
        String jobId = triggered.getString("triggered.it-nightly");
        assertThat(triggered.getList("skipped", String.class)).containsExactly("no-such");
        awaitState(jobId, JobState.SUCCEEDED);
        assertThat(jobs.monitor().job(jobId).map(JobDetails::jobName)).contains("TestJobs.nightly");
        admin.post("/api/recurring/it-nightly/trigger", Map.of()).then().statusCode(200);
        admin.post("/api/recurring/no-such/trigger", Map.of()).then().statusCode(404);

        try {
            assertThat(admin.post("/api/recurring/pause", Map.of("ids", List.of("it-nightly"))).jsonPath()
                    .getList("changed", String.class)).containsExactly("it-nightly");
            assertThat(jobs.recurring().get("it-nightly").orElseThrow().paused()).isTrue();
            assertThat(admin.post("/api/recurring/pause", Map.of("ids", List.of("it-nightly"))).jsonPath()
                    .getList("skipped", String.class)).containsExactly("it-nightly");
            admin.post("/api/recurring/it-nightly/pause", Map.of()).then().statusCode(409);
        } finally {
            admin.post("/api/recurring/it-nightly/resume", Map.of()).then().statusCode(200);
        }
        assertThat(jobs.recurring().get("it-nightly").orElseThrow().paused()).isFalse();
        admin.post("/api/recurring/no-such/resume", Map.of()).then().statusCode(404);
    }

    @Test
    void queuesArePausedAndResumedWithWhoAndUntilAndJobsShowTheirFlowControl() {
        java.time.Instant until = java.time.Instant.parse("2999-01-01T00:00:00Z");
        try {
            admin.post("/api/queues/flow/pause", Map.of("until", until.toString())).then().statusCode(200);
            JsonPath queues = admin.get("/api/queues").then().statusCode(200).extract().jsonPath();
            assertThat(queues.getString("find { it.name == 'flow' }.pause.pausedBy")).isEqualTo("dashboard user admin");
            assertThat(queues.getString("find { it.name == 'flow' }.pause.until")).isEqualTo(until.toString());
            assertThat(queues.getString("find { it.name == 'flow' }.pause.pausedAt")).endsWith("Z");
            assertThat(jobs.monitor().pausedQueues()).anyMatch(p -> p.queue().equals("flow") && until.equals(p.until()));

            String id = jobs.enqueue(io.quarkiverse.hangfire.it.FlowJobs.class, j -> j.ordered(key("api-flow"), "x"),
                    io.quarkiverse.hangfire.JobOptions.none().priority(-4).unique(key("api-unique"))).jobId();
            JsonPath job = admin.get("/api/jobs/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(job.getInt("priority")).isEqualTo(-4);
            assertThat(job.getString("uniqueKey")).startsWith("api-unique-");
            assertThat(job.getString("state")).isEqualTo("ENQUEUED");

            admin.post("/api/queues/Not A Queue/pause", Map.of()).then().statusCode(400);
            admin.post("/api/queues/flow/pause", Map.of("until", "tomorrow")).then().statusCode(400);
            // an action without the CSRF token changes nothing
            admin.request().contentType(io.restassured.http.ContentType.JSON).body(Map.of()).post("/api/queues/flow/resume")
                    .then().statusCode(403);
            as("viewer").post("/api/queues/flow/resume", Map.of()).then().statusCode(403);
            assertThat(jobs.monitor().pausedQueues()).anyMatch(p -> p.queue().equals("flow"));
        } finally {
            admin.post("/api/queues/flow/resume", Map.of()).then().statusCode(200);
        }
        admin.post("/api/queues/flow/resume", Map.of()).then().statusCode(409);
        assertThat(admin.get("/api/rate-limits").then().statusCode(200).extract().jsonPath().getList("name")).isNotNull();
    }

    /**
     * A rate limit split by a key built from a secret argument shows its key's shape with the values hidden, to the
     * admin and the read-only user alike, as a unique key shows with the job's secrets hidden; a key of ordinary
     * arguments shows as it is.
     */
    @Test
    void rateLimitKeysBuiltFromSecretArgumentsAreHidden() {
        String tenant = key("tenant");
        String apiKey = key("sk-live");
        awaitState(jobs.enqueue(io.quarkiverse.hangfire.it.FlowJobs.class, j -> j.apiCall(tenant, apiKey, key("api-call"))),
                JobState.SUCCEEDED);
        awaitState(jobs.enqueue(io.quarkiverse.hangfire.it.FlowJobs.class, j -> j.rated(tenant, key("rated"))),
                JobState.SUCCEEDED);
        for (String user : List.of("admin", "viewer")) {
            JsonPath limits = as(user).get("/api/rate-limits").then().statusCode(200).extract().jsonPath();
            List<String> names = limits.getList("name", String.class);
            assertThat(names).as(user).contains("rate:job:FlowJobs.apiCall:***-***", "rate:job:FlowJobs.rated:tenant-" + tenant);
            assertThat(names).as(user).noneMatch(name -> name.contains(apiKey));
            // every key of the job shows as the same shape: one of those rows (another test's may be older) is this one
            assertThat(limits.getList("findAll { it.name == 'rate:job:FlowJobs.apiCall:***-***' }.starts", Integer.class))
                    .as(user).anyMatch(starts -> starts > 0);
        }
    }

    @Test
    void serversShowThisInstance() {
        JsonPath servers = admin.get("/api/servers").then().statusCode(200).extract().jsonPath();
        assertThat(servers.getList("workers", Integer.class)).contains(8);
        assertThat(servers.getList("queues[0]", String.class)).containsExactly("critical", "default", "limited", "flow", "flow-rated");
    }

    @Test
    void meTellsTheUiWhoIsLooking() {
        JsonPath me = admin.get("/api/me").then().statusCode(200).extract().jsonPath();
        assertThat(me.getString("user")).isEqualTo("admin");
        assertThat(me.getBoolean("readOnly")).isFalse();
        assertThat(me.getString("path")).isEqualTo("/hangfire");
        assertThat(me.getList("jobNames", String.class)).contains("TestJobs.record", "DashboardJobs.report");
        assertThat(me.getList("queues", String.class)).containsExactly("critical", "default", "limited", "flow", "flow-rated");
    }

    @Test
    void openApiDocumentDescribesEveryEndpoint() {
        JsonPath doc = admin.get("/api/openapi.json").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getString("openapi")).startsWith("3.");
        assertThat(doc.getString("servers[0].url")).isEqualTo("/hangfire");
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        assertThat(paths).containsOnlyKeys("/api/me", "/api/stats", "/api/history", "/api/jobs", "/api/retries",
                "/api/jobs/{id}", "/api/queues", "/api/recurring", "/api/servers", "/api/jobs/requeue", "/api/jobs/delete",
                "/api/jobs/enqueue-now", "/api/jobs/{id}/requeue", "/api/jobs/{id}/delete", "/api/jobs/{id}/enqueue-now",
                "/api/recurring/trigger", "/api/recurring/pause", "/api/recurring/resume", "/api/recurring/{id}/trigger",
                "/api/recurring/{id}/pause", "/api/recurring/{id}/resume", "/api/rate-limits", "/api/queues/{name}/pause",
                "/api/queues/{name}/resume", "/api/batches",
                "/api/batches/{id}", "/api/batches/{id}/delete", "/api/batches/{id}/requeue");
        assertThat(doc.getList("paths.'/api/jobs'.get.parameters.name", String.class)).containsExactly("state", "name",
                "queue", "text", "offset", "limit");
        assertThat(doc.getString("paths.'/api/jobs/{id}'.get.responses.'200'.content.'application/json'.schema.'$ref'"))
                .isEqualTo("#/components/schemas/JobView");
        assertThat(doc.getMap("components.schemas.JobView.properties")).containsKeys("arguments", "history", "exception",
                "continuations", "log", "progress");
        assertThat(doc.getList("components.schemas.JobItem.properties.state.enum", String.class)).contains("FAILED");
        assertThat(doc.getString("paths.'/api/jobs/delete'.post.requestBody.content.'application/json'.schema.'$ref'"))
                .isEqualTo("#/components/schemas/JobAction");
        // every GET in the document answers
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            if (path.getValue().containsKey("get") && !path.getKey().contains("{")) {
                admin.get(path.getKey()).then().statusCode(200);
            }
        }
    }

    @Test
    void theWebUiIsServedWithAStrictContentSecurityPolicy() {
        admin.request().redirects().follow(false).get("").then().statusCode(303).header("Location", "/hangfire/");
        var index = admin.get("/").then().statusCode(200).contentType(containsString("text/html")).extract();
        assertThat(index.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
        assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(index.cookie("hangfire-csrf")).isNotBlank();
        admin.get("/assets/app.js").then().statusCode(200).contentType(containsString("javascript"));
        admin.get("/assets/app.css").then().statusCode(200).contentType(containsString("text/css"));
        admin.get("/lib/chart.js").then().statusCode(200).body(containsString("Chart"));
        admin.get("/assets/..%2Fopenapi.json").then().statusCode(404);
        admin.get("/assets/nothing.js").then().statusCode(404);
    }

    private JobState state(String id) {
        return jobs.monitor().job(id).map(JobDetails::state).orElse(null);
    }

    private void awaitState(String id, JobState state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> state(id) == state);
    }

    @Test
    void acrossStatesNewestCreatedFirstInAStateNewestStateChangeFirst() {
        String key = key("Order");
        String older = jobs.schedule("TestJobs.record", Duration.ofHours(1), key + "-older");
        String newer = jobs.schedule("TestJobs.record", Duration.ofHours(1), key + "-newer");
        try {
            // the older job's state changes last: first in its state's list, still after the newer one across states
            assertThat(jobs.reschedule(older, Duration.ofHours(2))).isTrue();
            assertThat(ids(admin.get("/api/jobs?text=" + key).then().statusCode(200).extract().jsonPath()))
                    .containsExactly(newer, older);
            assertThat(ids(admin.get("/api/jobs?state=SCHEDULED&text=" + key).jsonPath())).containsExactly(older, newer);
        } finally {
            jobs.delete(older);
            jobs.delete(newer);
        }
    }

    @Test
    void aListNarrowedByNameOrQueueSaysWhatItLookedThrough() {
        String key = key("Window");
        String id = jobs.schedule("critical.record", Duration.ofHours(1), key);
        try {
            JsonPath named = admin.get("/api/jobs?state=SCHEDULED&name=critical.record&limit=500").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(ids(named)).contains(id);
            assertThat(named.getInt("window.newest")).isEqualTo(10_000);
            assertThat(named.getBoolean("window.olderLeftOut")).isFalse();
            assertThat(ids(admin.get("/api/jobs?queue=critical&limit=500").jsonPath())).contains(id);
            JsonPath plain = admin.get("/api/jobs?state=SCHEDULED").jsonPath();
            assertThat(plain.getMap("window")).isNull();
            assertThat(plain.getInt("maxOffset")).isEqualTo(10_000);
            assertThat(admin.get("/api/retries").jsonPath().getInt("window.newest")).isEqualTo(10_000);
        } finally {
            jobs.delete(id);
        }
    }

    @Test
    void pagesStopAtTheMaxOffset() {
        admin.get("/api/jobs?state=SUCCEEDED&offset=10000").then().statusCode(200).body("offset", equalTo(10_000));
        admin.get("/api/jobs?offset=10001").then().statusCode(400).body("error", containsString("narrow the list"));
        admin.get("/api/retries?offset=10001").then().statusCode(400);
    }

    private static List<String> ids(JsonPath page) {
        return page.getList("jobs.id", String.class);
    }

    private static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
