package io.quarkiverse.hangfire.it.nativeimage;

import static io.quarkiverse.hangfire.it.nativeimage.Remote.awaitCount;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.awaitState;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.call;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.count;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.history;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.job;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.key;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.post;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.postBoolean;
import static io.quarkiverse.hangfire.it.nativeimage.Remote.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/**
 * Every {@code JobScheduler} operation, every kind of job argument, parameters, retries, continuations, recurring
 * jobs in a zone and mutexes, against the packaged app run as a process: the native image with {@code -Dnative}.
 * The app is driven through its {@code /it/scheduler} resource, since no bean can be injected here.
 */
@QuarkusIntegrationTest
@WithTestResource(NativeDatabase.class)
class SchedulerNativeIT {

    private static final List<String> RUN = List.of("ENQUEUED", "PROCESSING", "SUCCEEDED");

    @Test
    void enqueueByLambdaAndByNameRunsTheJob() {
        String key = key("enqueue");
        String byLambda = post("/record/{key}", key);
        String byName = call().body(List.of(key)).post("/named/{name}", "TestJobs.record").then().statusCode(200)
                .extract().asString();
        awaitState(byLambda, "SUCCEEDED");
        JsonPath named = awaitState(byName, "SUCCEEDED");
        assertThat(count(key)).isEqualTo(2);
        assertThat(history(byLambda)).isEqualTo(RUN);
        assertThat(named.getString("jobName")).isEqualTo("TestJobs.record");
        assertThat(named.getList("arguments", String.class)).containsExactly("\"" + key + "\"");

        Map<String, Object> unknown = Remote.error(call().body(List.of(key)).post("/named/{name}", "NoSuch.job"), 400);
        assertThat((String) unknown.get("message")).contains("NoSuch.job");
    }

    @Test
    void enqueueAllCreatesOneJobPerItem() {
        String a = key("all-a");
        String b = key("all-b");
        List<String> ids = call().body(List.of(a, b)).post("/record-all").then().statusCode(200).extract().jsonPath()
                .getList("", String.class);
        assertThat(ids).hasSize(2);
        List<String> named = call().body(List.of(List.of(a), List.of(b))).post("/named-all/{name}", "TestJobs.record")
                .then().statusCode(200).extract().jsonPath().getList("", String.class);
        assertThat(named).hasSize(2);
        for (String id : List.of(ids.get(0), ids.get(1), named.get(0), named.get(1))) {
            awaitState(id, "SUCCEEDED");
        }
        assertThat(count(a)).isEqualTo(2);
        assertThat(count(b)).isEqualTo(2);
    }

    @Test
    void scheduleDeleteRequeueAndReschedule() {
        String key = key("schedule");
        String soon = call().queryParam("delayMillis", 1500).post("/schedule/{key}", key).then().statusCode(200).extract()
                .asString();
        assertThat(state(soon)).isEqualTo("SCHEDULED");
        String past = call().queryParam("at", Instant.now().minusSeconds(60).toString()).queryParam("byName", true)
                .post("/schedule/{key}", key).then().statusCode(200).extract().asString();
        awaitState(past, "SUCCEEDED");
        awaitState(soon, "SUCCEEDED");
        assertThat(history(soon)).containsExactly("SCHEDULED", "ENQUEUED", "PROCESSING", "SUCCEEDED");

        String later = call().queryParam("delayMillis", 3_600_000).queryParam("byName", true).post("/schedule/{key}", key)
                .then().statusCode(200).extract().asString();
        assertThat(call().queryParam("expected", "ENQUEUED").post("/jobs/{id}/delete", later).then().extract().asString())
                .isEqualTo("false");
        assertThat(call().queryParam("expected", "SCHEDULED").post("/jobs/{id}/delete", later).then().extract().asString())
                .isEqualTo("true");
        assertThat(state(later)).isEqualTo("DELETED");
        assertThat(postBoolean("/jobs/{id}/delete", later)).as("already deleted").isFalse();
        assertThat(call().queryParam("expected", "SUCCEEDED").post("/jobs/{id}/requeue", later).then().extract().asString())
                .isEqualTo("false");
        assertThat(call().queryParam("expected", "DELETED").post("/jobs/{id}/requeue", later).then().extract().asString())
                .isEqualTo("true");
        awaitState(later, "SUCCEEDED");
        assertThat(count(key)).isEqualTo(3);

        String moved = call().queryParam("at", Instant.now().plusSeconds(3600).toString()).post("/schedule/{key}", key)
                .then().statusCode(200).extract().asString();
        assertThat(call().queryParam("at", Instant.now().plusSeconds(600).toString()).queryParam("expected", "ENQUEUED")
                .post("/jobs/{id}/reschedule", moved).then().extract().asString()).isEqualTo("false");
        Instant at = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        assertThat(call().queryParam("at", at.toString()).post("/jobs/{id}/reschedule", moved).then().extract().asString())
                .isEqualTo("true");
        assertThat(Instant.parse(job(moved).getString("scheduledAt"))).isEqualTo(at);
        assertThat(call().queryParam("delayMillis", 300).post("/jobs/{id}/reschedule", moved).then().extract().asString())
                .isEqualTo("true");
        awaitState(moved, "SUCCEEDED");
    }

    @Test
    void unknownJobIdsAreNotFound() {
        for (String path : List.of("/jobs/{id}/delete", "/jobs/{id}/requeue", "/jobs/{id}/retry", "/jobs/{id}/perform")) {
            Map<String, Object> error = Remote.error(call().post(path, "987654321987"), 404);
            assertThat(error.get("exception")).isEqualTo("io.quarkiverse.hangfire.JobNotFoundException");
            assertThat((String) error.get("message")).contains("987654321987");
        }
        Remote.error(call().post("/continue/{parent}/{key}", "987654321987", key("orphan")), 404);
    }

    @Test
    void performRunsAStoredJobAndRetryGivesAFailedJobAFreshBudget() {
        String key = key("perform");
        String ok = call().queryParam("delayMillis", 3_600_000).post("/schedule/{key}", key).then().statusCode(200)
                .extract().asString();
        assertThat(post("/jobs/{id}/perform", ok)).isEqualTo("\"SUCCEEDED\"");
        assertThat(state(ok)).isEqualTo("SUCCEEDED");
        assertThat(count(key)).isEqualTo(1);

        String failing = post("/fails-once/{key}", key + "-f");
        assertThat(post("/jobs/{id}/perform", failing)).isEqualTo("\"FAILED\"");
        JsonPath failed = job(failing);
        assertThat(failed.getString("history[0].data.exceptionType")).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.getString("history[0].data.stackTrace")).contains("TestJobs.failsOnce");
        assertThat(postBoolean("/jobs/{id}/retry", failing)).isTrue();
        await().atMost(Remote.PATIENCE).until(() -> count(key + "-f") == 2);
        awaitState(failing, "FAILED");
        assertThat(postBoolean("/jobs/{id}/retry", ok)).as("not failed").isFalse();
    }

    @Test
    void retriesAreRecordedAsFailedThenScheduled() {
        String key = key("flaky");
        String id = call().queryParam("failures", 2).post("/flaky/{key}", key).then().statusCode(200).extract().asString();
        JsonPath done = awaitState(id, "SUCCEEDED");
        assertThat(count(key)).isEqualTo(3);
        assertThat(done.getInt("attempt")).isEqualTo(3);
        assertThat(history(id)).containsExactly("ENQUEUED", "PROCESSING", "FAILED", "SCHEDULED", "ENQUEUED", "PROCESSING",
                "FAILED", "SCHEDULED", "ENQUEUED", "PROCESSING", "SUCCEEDED");

        String fails = key("always-fails");
        String failed = post("/always-fails/{key}", fails);
        JsonPath last = awaitState(failed, "FAILED");
        assertThat(count(fails)).isEqualTo(3);
        assertThat(last.getString("history[0].reason")).contains("Exceeded the maximum number of retry attempts (2)");
        assertThat(last.getString("history[0].data.exceptionMessage")).isEqualTo("always fails: " + fails);
    }

    @Test
    void continuationsRunAfterTheirParent() {
        String key = key("continuation");
        String parent = call().queryParam("delayMillis", 1000).post("/schedule/{key}", key + "-parent").then()
                .statusCode(200).extract().asString();
        String onSuccess = post("/continue/{parent}/{key}", parent, key);
        String byName = call().queryParam("byName", true).post("/continue/{parent}/{key}", parent, key).then()
                .statusCode(200).extract().asString();
        String onDeleted = call().queryParam("option", "ON_DELETED").post("/continue/{parent}/{key}", parent, key + "-d")
                .then().statusCode(200).extract().asString();
        assertThat(state(onSuccess)).isEqualTo("AWAITING");
        assertThat(job(onSuccess).getString("parentId")).isEqualTo(parent);
        awaitState(onSuccess, "SUCCEEDED");
        awaitState(byName, "SUCCEEDED");
        assertThat(count(key)).isEqualTo(2);
        awaitState(onDeleted, "DELETED");
        assertThat(count(key + "-d")).isZero();

        String deletedParent = call().queryParam("delayMillis", 3_600_000).post("/schedule/{key}", key + "-p2").then()
                .extract().asString();
        String afterDelete = call().queryParam("option", "ON_ANY_FINAL_STATE")
                .post("/continue/{parent}/{key}", deletedParent, key + "-any").then().statusCode(200).extract().asString();
        assertThat(postBoolean("/jobs/{id}/delete", deletedParent)).isTrue();
        awaitState(afterDelete, "SUCCEEDED");
        assertThat(count(key + "-any")).isEqualTo(1);
    }

    @Test
    void parametersAreTypedJsonValues() {
        String id = call().queryParam("delayMillis", 3_600_000).post("/schedule/{key}", key("params")).then()
                .statusCode(200).extract().asString();
        assertThat(call().get("/jobs/{id}/parameters/{name}", id, "missing").then().statusCode(200).extract().jsonPath()
                .getBoolean("present")).isFalse();
        call().body(Map.of("value", 3)).put("/jobs/{id}/parameters/{name}", id, "count").then().statusCode(204);
        call().body(Map.of("value", 4)).put("/jobs/{id}/parameters/{name}", id, "count").then().statusCode(204);
        call().queryParam("type", "item").body(Map.of("value", Map.of("sku", "x", "quantity", 1)))
                .put("/jobs/{id}/parameters/{name}", id, "item").then().statusCode(204);
        JsonPath count = call().queryParam("type", "integer").get("/jobs/{id}/parameters/{name}", id, "count").then()
                .statusCode(200).extract().jsonPath();
        assertThat(count.getInt("value")).isEqualTo(4);
        JsonPath item = call().queryParam("type", "item").get("/jobs/{id}/parameters/{name}", id, "item").then()
                .statusCode(200).extract().jsonPath();
        assertThat(item.getString("class")).isEqualTo("io.quarkiverse.hangfire.it.Item");
        assertThat(item.getMap("value")).isEqualTo(Map.of("sku", "x", "quantity", 1));
        assertThat(job(id).getMap("parameters")).containsEntry("count", "4");

        Map<String, Object> nothing = new LinkedHashMap<>();
        nothing.put("value", null);
        call().body(nothing).put("/jobs/{id}/parameters/{name}", id, "count").then().statusCode(204);
        assertThat(call().queryParam("type", "integer").get("/jobs/{id}/parameters/{name}", id, "count").then()
                .extract().jsonPath().getBoolean("present")).isFalse();
        Remote.error(call().body(Map.of("value", 1)).put("/jobs/{id}/parameters/{name}", id, " "), 400);

        // a job reads its context and sets a parameter while it runs
        String key = key("context");
        String withContext = post("/with-context/{key}", key);
        JsonPath ran = awaitState(withContext, "SUCCEEDED");
        assertThat(ran.getMap("parameters")).containsEntry("seenAttempt", "1");
        assertThat(Remote.executions(key).getList("values").stream().map(String::valueOf))
                .containsExactly(withContext, "1", "default", "TestJobs.withContext");
        assertThat(postBoolean("/jobs/{id}/delete", id)).isTrue();
    }

    @Test
    void expirationOfFinishedJobs() {
        String key = key("expire");
        String done = post("/record/{key}", key);
        awaitState(done, "SUCCEEDED");
        assertThat(job(done).getString("expireAt")).isNotNull();
        String pending = call().queryParam("delayMillis", 3_600_000).post("/schedule/{key}", key).then().extract()
                .asString();
        assertThat(call().queryParam("at", Instant.now().toString()).post("/jobs/{id}/expire", pending).then().extract()
                .asString()).as("not final").isEqualTo("false");
        assertThat(postBoolean("/jobs/{id}/expire", done)).isTrue();
        assertThat(job(done).getString("expireAt")).isNull();
        assertThat(call().queryParam("at", Instant.now().minusSeconds(1).toString()).post("/jobs/{id}/expire", done).then()
                .extract().asString()).isEqualTo("true");
        await().atMost(Remote.PATIENCE).until(() -> call().get("/jobs/{id}", done).statusCode() == 404);
        assertThat(postBoolean("/jobs/{id}/delete", pending)).isTrue();
    }

    @Test
    void everyKindOfArgumentComesBackAsItsDeclaredType() {
        String key = key("values");
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("item", Map.of("sku", "a-1", "quantity", 2));
        sent.put("items", List.of(Map.of("sku", "b", "quantity", 3), Map.of("sku", "c", "quantity", 4)));
        sent.put("instant", "2026-03-29T00:59:59.123456789Z");
        sent.put("date", "2024-02-29");
        sent.put("localDateTime", "2026-03-29T02:30:00");
        sent.put("zoned", "2026-10-25T02:30:00+01:00[Europe/Berlin]");
        sent.put("offset", "2026-06-01T12:00:00-03:30");
        sent.put("duration", "PT36H0.5S");
        sent.put("period", "P1Y2M3D");
        sent.put("month", "2026-11");
        sent.put("zone", "America/St_Johns");
        sent.put("optionalItem", Map.of("sku", "opt", "quantity", 1));
        sent.put("emptyNote", null);
        sent.put("amount", new java.math.BigDecimal("12345678901234567890.000100"));
        sent.put("big", new java.math.BigInteger("98765432109876543210987654321"));
        sent.put("uuid", "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        sent.put("priority", "HIGH");
        sent.put("priorities", List.of("LOW", "HIGH"));
        sent.put("totals", Map.of("net", new java.math.BigDecimal("0.10"), "tax", new java.math.BigDecimal("1E+3")));
        sent.put("lines", List.of(Map.of("sku", "l1", "price", new java.math.BigDecimal("9.99"), "priority", "LOW")));
        String id = call().body(sent).post("/values/{key}", key).then().statusCode(200).extract().asString();
        awaitState(id, "SUCCEEDED");

        JsonPath values = call().get("/values/{key}", key).then().statusCode(200).extract().jsonPath();
        assertThat(values.getList("differences", String.class)).as("what the job received: " + values.prettify()).isEmpty();
        String item = "io.quarkiverse.hangfire.it.Item";
        String priority = "io.quarkiverse.hangfire.it.ValueJobs$Priority";
        assertThat(values.getList("elementClasses", String.class)).containsExactly(item, item, item, priority, priority,
                "java.math.BigDecimal", "java.math.BigDecimal", "io.quarkiverse.hangfire.it.ValueJobs$Line");
        assertThat(values.getString("received.zone")).isEqualTo("America/St_Johns");
        assertThat(values.getString("received.zoned")).isEqualTo("2026-10-25T02:30:00+01:00[Europe/Berlin]");
        assertThat(values.getString("received.offset")).isEqualTo("2026-06-01T12:00:00-03:30");
        assertThat(values.getString("received.lines[0].priority")).isEqualTo("LOW");
        assertThat(values.getString("received.period")).isEqualTo("P1Y2M3D");
    }

    @Test
    void recurringJobsInAZoneAreAddedTriggeredPausedResumedAndRemoved() {
        String id = key("nightly");
        String key = key("recurring");
        call().queryParam("key", key).queryParam("cron", "0 0 3 * * *").queryParam("zone", "Europe/Berlin")
                .queryParam("queue", "critical").put("/recurring/{id}", id).then().statusCode(204);
        JsonPath info = call().get("/recurring/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(info.getString("zone")).isEqualTo("Europe/Berlin");
        assertThat(info.getString("queue")).isEqualTo("critical");
        assertThat(info.getString("jobName")).isEqualTo("TestJobs.record");
        Instant expected = ZonedDateTime.now(ZoneId.of("Europe/Berlin")).withHour(3).truncatedTo(ChronoUnit.HOURS)
                .toInstant();
        assertThat(Instant.parse(info.getString("nextExecution"))).isIn(expected, expected.plus(1, ChronoUnit.DAYS));
        assertThat(call().get("/recurring").then().statusCode(200).extract().jsonPath().getList("id", String.class))
                .contains(id, "it-nightly", "it-from-config");

        String triggered = post("/recurring/{id}/trigger", id);
        JsonPath run = awaitState(triggered, "SUCCEEDED");
        assertThat(run.getString("queue")).isEqualTo("critical");
        assertThat(count(key)).isEqualTo(1);

        call().post("/recurring/{id}/pause", id).then().statusCode(204);
        JsonPath paused = call().get("/recurring/{id}", id).then().extract().jsonPath();
        assertThat(paused.getBoolean("paused")).isTrue();
        assertThat(paused.getString("nextExecution")).isNull();
        call().post("/recurring/{id}/resume", id).then().statusCode(204);
        assertThat(call().get("/recurring/{id}", id).then().extract().jsonPath().getString("nextExecution")).isNotNull();

        // by name, every second: it runs on its own
        String everySecond = key("every-second");
        String recorded = key("every-second-run");
        call().queryParam("key", recorded).queryParam("cron", "* * * * * *").queryParam("zone", "Asia/Kolkata")
                .queryParam("byName", true).put("/recurring/{id}", everySecond).then().statusCode(204);
        awaitCount(recorded, 2);
        assertThat(call().delete("/recurring/{id}", everySecond).then().extract().asString()).isEqualTo("true");
        assertThat(call().delete("/recurring/{id}", everySecond).then().extract().asString()).isEqualTo("false");
        assertThat(call().delete("/recurring/{id}", id).then().extract().asString()).isEqualTo("true");
        call().get("/recurring/{id}", id).then().statusCode(404);

        Map<String, Object> badCron = Remote.error(call().queryParam("key", key).queryParam("cron", "not a cron")
                .put("/recurring/{id}", key("bad")), 400);
        assertThat((String) badCron.get("message")).contains("not a cron");
    }

    @Test
    void aMutexRunsOneJobOfAGroupAtATime() {
        String key = key("mutex");
        List<String> ids = call().queryParam("group", "g1").queryParam("count", 3).queryParam("millis", 300)
                .post("/exclusive/{key}", key).then().statusCode(200).extract().jsonPath().getList("", String.class);
        for (String id : ids) {
            awaitState(id, "SUCCEEDED");
        }
        assertThat(Remote.executions(key).getInt("maxOverlap")).isEqualTo(1);

        // deleting a running job asks it to stop, and frees its mutex
        String holder = key("holder");
        String holding = post("/holds-mutex/{key}", holder);
        awaitState(holding, "PROCESSING");
        awaitCount(holder + ":started", 1);
        assertThat(call().queryParam("expected", "PROCESSING").post("/jobs/{id}/delete", holding).then().extract()
                .asString()).isEqualTo("true");
        awaitCount(holder + ":cancelled", 1);
        String next = post("/holds-mutex/{key}", holder);
        awaitCount(holder + ":started", 2);
        assertThat(postBoolean("/jobs/{id}/delete", next)).isTrue();
    }

    @Test
    void theMonitorReportsCountsQueuesServersNamesAndHistory() {
        String key = key("monitor");
        awaitState(post("/record/{key}", key), "SUCCEEDED");
        JsonPath counts = call().get("/counts").then().statusCode(200).extract().jsonPath();
        assertThat(counts.getLong("SUCCEEDED")).isPositive();
        assertThat(call().get("/queues").then().statusCode(200).extract().jsonPath().getMap("")).isNotNull();
        JsonPath servers = call().get("/servers").then().statusCode(200).extract().jsonPath();
        assertThat(servers.getList("queues[0]", String.class)).contains("critical", "default", "limited");
        assertThat(servers.getInt("workers[0]")).isEqualTo(8);
        assertThat(call().get("/job-names").then().statusCode(200).extract().jsonPath().getList("", String.class))
                .contains("TestJobs.record", "ValueJobs.receive", "complex");
        assertThat(call().get("/finished-totals").then().statusCode(200).extract().jsonPath().getLong("SUCCEEDED"))
                .isPositive();
        await().atMost(Remote.PATIENCE).until(() -> call().queryParam("state", "SUCCEEDED").queryParam("unit", "HOURS")
                .queryParam("periods", 2).get("/history").then().statusCode(200).extract().jsonPath()
                .getList("count", Long.class).stream().mapToLong(Long::longValue).sum() > 0);
        JsonPath page = call().queryParam("state", "SUCCEEDED").queryParam("offset", 0).queryParam("limit", 5)
                .get("/jobs").then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("jobs")).isNotEmpty().hasSizeLessThanOrEqualTo(5);
        assertThat(page.getLong("total")).isPositive();
    }

    @Test
    void theSchedulerResourceNeedsItsRole() {
        io.restassured.RestAssured.given().basePath("/it/scheduler").post("/record/{key}", "x").then().statusCode(401);
        io.restassured.RestAssured.given().auth().preemptive().basic("admin", "admin").basePath("/it/scheduler")
                .post("/record/{key}", "x").then().statusCode(403);
    }
}
