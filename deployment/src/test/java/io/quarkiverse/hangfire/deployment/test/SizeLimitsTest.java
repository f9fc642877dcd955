package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkus.test.QuarkusUnitTest;

/** The size caps come from the configuration: 1K of arguments and 100 bytes per parameter value here. */
class SizeLimitsTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TextJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:limits")
            .overrideRuntimeConfigKey("quarkus.hangfire.server.enabled", "false")
            .overrideRuntimeConfigKey("quarkus.hangfire.limits.max-arguments-size", "1K")
            .overrideRuntimeConfigKey("quarkus.hangfire.limits.max-parameter-size", "100");

    @Inject
    JobScheduler jobs;

    @Test
    void theConfiguredLimitsApply() {
        // ["..."]: four bytes around the text
        String fits = "a".repeat(1024 - 4);
        String id = jobs.schedule(TextJobs.class, j -> j.store(fits), Duration.ofHours(1));
        assertThatThrownBy(() -> jobs.enqueue(TextJobs.class, j -> j.store(fits + "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The arguments of job TextJobs.store are 1025 bytes as JSON, more than the limit of"
                        + " 1024 bytes (quarkus.hangfire.limits.max-arguments-size)");
        assertThatThrownBy(() -> jobs.enqueueAll(TextJobs.class, List.of("x", fits + "b"), (j, text) -> j.store(text)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item 1 of the batch");

        jobs.setJobParameter(id, "note", "n".repeat(98));
        assertThatThrownBy(() -> jobs.setJobParameter(id, "note", "n".repeat(99)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The value of job parameter 'note' of job " + id + " (TextJobs.store) is 101 bytes as JSON,"
                        + " more than the limit of 100 bytes (quarkus.hangfire.limits.max-parameter-size)");
        assertThat(jobs.getJobParameter(id, "note", String.class)).contains("n".repeat(98));
    }

    public static class TextJobs {
        @BackgroundJob
        public void store(String text) {
        }
    }
}
