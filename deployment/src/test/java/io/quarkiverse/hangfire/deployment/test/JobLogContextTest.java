package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.QuarkusUnitTest;

/**
 * What a job logs says which job wrote it: the worker puts the job's id, name, queue and attempt into the MDC for
 * the attempt, and takes them out afterwards, leaving what the thread had before.
 */
class JobLogContextTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LoggingJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:logcontext;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.server.queues", "default,reports")
            .overrideConfigKey("quarkus.hangfire.server.poll-interval", "200ms");

    @Inject
    JobScheduler jobs;

    @Test
    void aWorkerRunsEachAttemptWithTheJobInTheMdc() {
        String id = jobs.enqueue(LoggingJobs.class, j -> j.failOnce("first"));
        await().atMost(Duration.ofSeconds(20)).until(() -> LoggingJobs.SEEN.containsKey("first#2"));
        assertThat(LoggingJobs.SEEN.get("first#1")).isEqualTo(Map.of("jobId", id, "jobName", "reports.failOnce",
                "queue", "reports", "attempt", "1"));
        assertThat(LoggingJobs.SEEN.get("first#2")).containsEntry("jobId", id).containsEntry("attempt", "2");
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.monitor().job(id).orElseThrow().state() == JobState.SUCCEEDED);
    }

    @Test
    void aJobPerformedOnTheCallersThreadLeavesTheCallersMdcAsItWas() {
        String id = jobs.schedule(LoggingJobs.class, j -> j.failOnce("inline"), Duration.ofHours(1));
        MDC.put("jobId", "the caller's own");
        try {
            jobs.perform(id);
            assertThat(LoggingJobs.SEEN.get("inline#1")).containsEntry("jobId", id);
            assertThat(MDC.get("jobId")).isEqualTo("the caller's own");
            assertThat(MDC.get("jobName")).isNull();
            assertThat(MDC.get("queue")).isNull();
            assertThat(MDC.get("attempt")).isNull();
        } finally {
            MDC.remove("jobId");
        }
    }

    public static class LoggingJobs {
        static final Map<String, Map<String, Object>> SEEN = new ConcurrentHashMap<>();

        @BackgroundJob(name = "reports.failOnce", queue = "reports", retries = 1, retryDelays = "PT0S")
        public void failOnce(String label) {
            Map<String, Object> mdc = new java.util.HashMap<>();
            for (String key : new String[] { "jobId", "jobName", "queue", "attempt" }) {
                if (MDC.get(key) != null) {
                    mdc.put(key, MDC.get(key));
                }
            }
            String attempt = String.valueOf(MDC.get("attempt"));
            SEEN.put(label + "#" + attempt, mdc);
            if ("1".equals(attempt) && !"inline".equals(label)) {
                throw new IllegalStateException("first attempt fails");
            }
        }
    }
}
