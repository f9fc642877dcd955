package io.quarkiverse.hangfire.deployment.test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.Cookie;
import io.restassured.specification.RequestSpecification;

/**
 * The CSRF cookie is {@code Secure} when the browser reached the dashboard over HTTPS: directly, or through a proxy
 * whose {@code X-Forwarded-Proto} Quarkus is told to trust. Over plain HTTP it is not, or the browser would drop it.
 */
class DashboardSecureCookieTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(InterruptCancelledJobsTest.SleepingJobs.class)
                    .addAsResource("dashboard-test-tls.p12"))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:dashboard-secure-cookie;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.tls.key-store.p12.path", "dashboard-test-tls.p12")
            .overrideConfigKey("quarkus.tls.key-store.p12.password", "test-only-password")
            .overrideConfigKey("quarkus.http.test-ssl-port", "0")
            .overrideConfigKey("quarkus.http.proxy.proxy-address-forwarding", "true")
            .overrideConfigKey("quarkus.http.proxy.allow-x-forwarded", "true")
            .overrideConfigKey("quarkus.hangfire.dashboard.csrf-key", "deployment-test-csrf-key-0123456789abcdef");

    @TestHTTPResource(value = "/hangfire/api/me", tls = true)
    URL overHttps;

    @Test
    void overHttpsTheCookieIsSecure() {
        assertThat(csrfCookie(given().relaxedHTTPSValidation(), overHttps.toString()).isSecured()).isTrue();
    }

    @Test
    void throughATrustedProxyThatEndedHttpsTheCookieIsSecure() {
        assertThat(csrfCookie(given().header("X-Forwarded-Proto", "https"), "/hangfire/api/me").isSecured()).isTrue();
    }

    @Test
    void overPlainHttpTheCookieIsNotSecure() {
        assertThat(csrfCookie(given(), "/hangfire/api/me").isSecured()).isFalse();
        assertThat(csrfCookie(given().header("X-Forwarded-Proto", "http"), "/hangfire/api/me").isSecured()).isFalse();
    }

    private static Cookie csrfCookie(RequestSpecification request, String url) {
        Cookie cookie = request.get(url).then().statusCode(200).extract().detailedCookie("hangfire-csrf");
        assertThat(cookie).isNotNull();
        return cookie;
    }
}
