package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.Sensitive;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** Jobs with sensitive parameters and no encryption key: startup fails, listing the jobs and the key to set. */
class SensitiveWithoutKeyTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(PaymentJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:sensitive-nokey")
            .overrideConfigKey("quarkus.hangfire.sensitive-parameters", "PaymentJobs.refund.iban")
            .assertException(t -> {
                assertThat(causes(t)).anyMatch(ConfigurationException.class::isInstance);
                assertThat(InvalidJobMethodsTest.rootMessage(t))
                        .contains("These jobs have @Sensitive parameters")
                        .contains("no encryption key is configured: [PaymentJobs.charge, PaymentJobs.refund]")
                        .contains("quarkus.hangfire.encryption.keys.\"<id>\"");
            });

    static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.add(c);
        }
        return all;
    }

    @Test
    void startupFails() {
        fail("the application should not have started");
    }

    @ApplicationScoped
    public static class PaymentJobs {
        @BackgroundJob
        public void charge(long customerId, @Sensitive String cardNumber) {
        }

        @BackgroundJob
        public void refund(long customerId, String iban) {
        }

        @BackgroundJob
        public void receipt(long customerId) {
        }
    }
}
