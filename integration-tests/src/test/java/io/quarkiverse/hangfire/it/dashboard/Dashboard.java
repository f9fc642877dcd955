package io.quarkiverse.hangfire.it.dashboard;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Calls to the dashboard's API as one of the IT app's users, with the CSRF token an action needs. */
final class Dashboard {

    static final String PATH = "/hangfire";

    private final String user;
    private String csrf;

    private Dashboard(String user) {
        this.user = user;
    }

    static Dashboard as(String user) {
        return new Dashboard(user);
    }

    RequestSpecification request() {
        return given().auth().preemptive().basic(user, user).basePath(PATH);
    }

    /** The token set by GET api/me, as the web UI reads it from the cookie. */
    String csrf() {
        if (csrf == null) {
            csrf = request().get("/api/me").then().statusCode(200).extract().cookie("hangfire-csrf");
        }
        return csrf;
    }

    Response get(String path) {
        return request().get(path);
    }

    /** An action as the web UI sends it: JSON body, CSRF cookie and header. */
    Response post(String path, Object body) {
        return request().cookie("hangfire-csrf", csrf()).header("X-Hangfire-CSRF", csrf()).contentType(ContentType.JSON)
                .body(body).post(path);
    }
}
