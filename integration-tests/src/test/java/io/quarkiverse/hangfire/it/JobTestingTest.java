package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.testing.JobTesting;
import io.quarkus.test.junit.QuarkusTest;

/**
 * JobTesting's assertions on each database, against jobs in a queue this app does not serve: arguments compare as
 * stored (a BigDecimal's scale, a ZonedDateTime's zone), a sensitive argument is decrypted for the comparison and
 * never shown, and running jobs is refused while the server runs.
 */
@QuarkusTest
class JobTestingTest {

    static final ZonedDateTime DUE = ZonedDateTime.of(2027, 3, 28, 2, 30, 0, 0, ZoneId.of("Europe/Berlin"));

    @Inject
    JobTesting testing;

    @Inject
    JobScheduler jobs;

    @Test
    void assertsEnqueuedCallsByTheirStoredArguments() {
        String key = key("testing");
        String id = jobs.enqueue(ParkedJobs.class, p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.50"), DUE));
        try {
            assertThat(testing.assertEnqueued(ParkedJobs.class,
                    p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.50"), DUE))).isEqualTo(id);
            assertThat(testing.enqueued(ParkedJobs.class,
                    p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.50"), DUE))).containsExactly(id);

            assertThatThrownBy(() -> testing.assertEnqueued(ParkedJobs.class,
                    p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.5"), DUE)))
                    .as("another scale").isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the enqueued jobs of ParkedJobs.settle have other arguments")
                    .hasMessageContaining("job " + id + " [\"" + key + "\", ***, 12.50,")
                    .hasMessageNotContaining("DE44");
            testing.assertNotEnqueued(ParkedJobs.class, p -> p.settle(key, "DE44-other", new BigDecimal("12.50"), DUE));
            testing.assertNotEnqueued(ParkedJobs.class,
                    p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.50"), DUE.withZoneSameInstant(ZoneId.of("UTC"))));
            assertThatThrownBy(() -> testing.assertNotEnqueued(ParkedJobs.class,
                    p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.50"), DUE)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("found job(s) [" + id + "]")
                    .hasMessageNotContaining("DE44");

            assertThatThrownBy(testing::runEnqueuedJobs).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("quarkus.hangfire.server.enabled=false");
        } finally {
            jobs.delete(id);
        }
        testing.assertNotEnqueued(ParkedJobs.class, p -> p.settle(key, "DE44-secret-account", new BigDecimal("12.50"), DUE));
    }
}
