package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkus.test.QuarkusUnitTest;

/** Invalid flow control attributes (priority, unique, deadline, rate limit) are reported together, each naming its method. */
class InvalidFlowControlTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(BadFlow.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:invalid-flow")
            .assertException(t -> {
                String message = InvalidJobMethodsTest.rootMessage(t);
                assertThat(message)
                        .contains("BadFlow#tooHigh() has priority = 1001; use -1000 to 1000")
                        .contains("BadFlow#unknownUniqueParameter() has the unique 'sync-{customer}', whose"
                                + " placeholder {customer} names no stored parameter")
                        .contains("BadFlow#windowWithoutKey() sets uniqueWhileProcessing or uniqueAfterFinish without a"
                                + " unique key")
                        .contains("BadFlow#badPeriod() has uniqueAfterFinish = \"an hour\", which is not an"
                                + " ISO-8601 duration")
                        .contains("BadFlow#zeroDeadline() has deadline = \"PT0S\"; it must be longer than zero")
                        .contains("BadFlow#badRate() has rateLimit = \"100 per minute\"")
                        .contains("write count/ISO-8601 duration, such as 100/PT1M")
                        .contains("BadFlow#zeroRate() has rateLimit = \"0/PT1M\": the rate limit '0/PT1M' allows 0 starts")
                        .contains("BadFlow#keyWithoutRate() has rateLimitKey without a rateLimit")
                        .contains("BadFlow#badRateKey() has the rateLimitKey 'tenant-{x}'");
            });

    @Test
    void buildFails() {
        fail("the build should have failed");
    }

    @ApplicationScoped
    public static class BadFlow {
        @BackgroundJob(priority = 1001)
        public void tooHigh() {
        }

        @BackgroundJob(unique = "sync-{customer}")
        public void unknownUniqueParameter(String customerId) {
        }

        @BackgroundJob(uniqueWhileProcessing = true)
        public void windowWithoutKey() {
        }

        @BackgroundJob(unique = "r-{0}", uniqueAfterFinish = "an hour")
        public void badPeriod(String id) {
        }

        @BackgroundJob(deadline = "PT0S")
        public void zeroDeadline() {
        }

        @BackgroundJob(rateLimit = "100 per minute")
        public void badRate() {
        }

        @BackgroundJob(rateLimit = "0/PT1M")
        public void zeroRate() {
        }

        @BackgroundJob(rateLimitKey = "tenant-{0}")
        public void keyWithoutRate(String tenant) {
        }

        @BackgroundJob(rateLimit = "10/PT1S", rateLimitKey = "tenant-{x}")
        public void badRateKey(String tenant) {
        }
    }
}
