package io.quarkiverse.hangfire.it.nativeimage;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The app's JobScheduler over HTTP (SchedulerResource), as the user {@code driver}, with waits on job states. */
final class Remote {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private Remote() {
    }

    static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static RequestSpecification call() {
        return given().auth().preemptive().basic("driver", "driver").basePath("/it/scheduler")
                .contentType(ContentType.JSON);
    }

    /** POSTs and returns the body as a string (a job id, true/false, a state). */
    static String post(String path, Object... pathParams) {
        return call().post(path, pathParams).then().statusCode(200).extract().asString();
    }

    static boolean postBoolean(String path, Object... pathParams) {
        return Boolean.parseBoolean(post(path, pathParams));
    }

    static JsonPath job(String id) {
        return call().get("/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    static String state(String id) {
        return job(id).getString("state");
    }

    static JsonPath awaitState(String id, String state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> state.equals(state(id)));
        return job(id);
    }

    /** The states in the job's history, oldest first. */
    static List<String> history(String id) {
        List<String> states = new java.util.ArrayList<>(job(id).getList("history.state", String.class));
        java.util.Collections.reverse(states);
        return states;
    }

    static int count(String key) {
        return executions(key).getInt("count");
    }

    static JsonPath executions(String key) {
        return call().get("/executions/{key}", key).then().statusCode(200).extract().jsonPath();
    }

    static void awaitCount(String key, int count) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> count(key) >= count);
    }

    static Map<String, Object> error(io.restassured.response.Response response, int status) {
        return response.then().statusCode(status).extract().jsonPath().getMap("");
    }
}
