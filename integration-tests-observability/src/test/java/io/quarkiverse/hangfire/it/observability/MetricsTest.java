package io.quarkiverse.hangfire.it.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Runs a known workload and reads the meters back from the Prometheus endpoint, as a scraper would: the counters of
 * created, succeeded, failed, retried and deleted jobs by job and queue, the execution timer by outcome, the pickup
 * latency, and the gauges of the backlog, the states, the servers and the workers. Its counts leave out the jobs of
 * the other tests of this application (workload.traced, workload.plain), which may run before or after it.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {

    static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    JobScheduler jobs;

    @Inject
    io.quarkiverse.hangfire.runtime.metrics.HangfireMetrics meters;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    String deleted;
    /** The attempts in the default queue before the workload (the tracing test's jobs may have run first). */
    double pickupsBefore;

    @BeforeAll
    void runTheWorkload() {
        io.micrometer.core.instrument.Timer pickups = registry.find("hangfire.job.pickup.latency").tag("queue", "default")
                .timer();
        pickupsBefore = pickups == null ? 0 : pickups.count();
        List<String> finishing = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            finishing.add(jobs.enqueue(WorkloadJobs.class, j -> j.quick(20)));
        }
        finishing.add(jobs.enqueue(WorkloadJobs.class, j -> j.flaky(null)));
        finishing.add(jobs.enqueue(WorkloadJobs.class, WorkloadJobs::broken));
        jobs.enqueue(WorkloadJobs.class, WorkloadJobs::waiting);
        deleted = jobs.enqueue(WorkloadJobs.class, WorkloadJobs::waiting);
        jobs.delete(deleted);
        jobs.schedule(WorkloadJobs.class, j -> j.quick(0), Duration.ofHours(1));
        await().atMost(SOON).until(() -> finishing.stream().map(id -> jobs.monitor().job(id).orElseThrow().state())
                .allMatch(s -> s == JobState.SUCCEEDED || s == JobState.FAILED));
    }

    @Test
    void countersCountTheWorkloadByJobAndQueue() {
        String metrics = await().atMost(SOON).until(MetricsTest::scrape,
                m -> value(m, "hangfire_jobs_failed_total", "job", "workload.broken").orElse(0) == 1);
        assertThat(value(metrics, "hangfire_jobs_created_total", "job", "workload.quick", "queue", "default")).hasValue(6);
        assertThat(value(metrics, "hangfire_jobs_created_total", "job", "workload.waiting", "queue", "unserved")).hasValue(2);
        assertThat(value(metrics, "hangfire_jobs_succeeded_total", "job", "workload.quick", "queue", "default")).hasValue(5);
        assertThat(value(metrics, "hangfire_jobs_succeeded_total", "job", "workload.flaky")).hasValue(1);
        assertThat(value(metrics, "hangfire_jobs_retried_total", "job", "workload.flaky")).hasValue(1);
        assertThat(value(metrics, "hangfire_jobs_failed_total", "job", "workload.broken", "queue", "default")).hasValue(1);
        assertThat(value(metrics, "hangfire_jobs_deleted_total", "job", "workload.waiting", "queue", "unserved")).hasValue(1);
    }

    @Test
    void timersMeasureEachAttemptByOutcomeAndThePickup() {
        String metrics = await().atMost(SOON).until(MetricsTest::scrape,
                m -> value(m, "hangfire_job_execution_seconds_count", "job", "workload.broken").isPresent());
        assertThat(value(metrics, "hangfire_job_execution_seconds_count", "job", "workload.quick", "outcome", "succeeded"))
                .hasValue(5);
        // the quick jobs sleep 20 ms each
        assertThat(value(metrics, "hangfire_job_execution_seconds_sum", "job", "workload.quick", "outcome", "succeeded")
                .orElseThrow()).isGreaterThanOrEqualTo(0.1);
        assertThat(value(metrics, "hangfire_job_execution_seconds_count", "job", "workload.flaky", "outcome", "failed"))
                .hasValue(1);
        assertThat(value(metrics, "hangfire_job_execution_seconds_count", "job", "workload.flaky", "outcome", "succeeded"))
                .hasValue(1);
        assertThat(value(metrics, "hangfire_job_execution_seconds_count", "job", "workload.broken", "outcome", "failed"))
                .hasValue(1);
        assertThat(metrics).contains("hangfire_job_execution_seconds_bucket{");
        // every attempt's pickup, the failed ones too: five quick jobs, two attempts of the flaky one, the broken one
        assertThat(value(metrics, "hangfire_job_pickup_latency_seconds_count", "queue", "default").orElseThrow() - pickupsBefore)
                .isEqualTo(8);
    }

    @Test
    void moreEventsOfTheSameJobsAddNoMeter() {
        await().atMost(SOON).until(() -> meters.cachedMeters() > 0);
        int cached = meters.cachedMeters();
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(jobs.enqueue(WorkloadJobs.class, j -> j.quick(0)));
        }
        await().atMost(SOON).until(() -> more.stream()
                .allMatch(id -> jobs.monitor().job(id).orElseThrow().state() == JobState.SUCCEEDED));
        // the same job, queue and outcome as the workload's quick jobs: their counters and timers are the cached ones
        assertThat(meters.cachedMeters()).isEqualTo(cached).isLessThan(100);
    }

    @Test
    void theRecurringLatenessShowsHowLongAnOccurrenceHasBeenDue() {
        // a recurring job whose creation a filter refuses (its dependency down, say) stays due: it grows late
        BlockingFilter.BLOCKED = true;
        try {
            jobs.recurring().addOrUpdate("blocked-every-second", "workload.blocked", "* * * * * *",
                    io.quarkiverse.hangfire.RecurringOptions.DEFAULTS);
            String metrics = await().atMost(SOON).until(MetricsTest::scrape,
                    m -> value(m, "hangfire_recurring_lateness_seconds").orElse(0) >= 2);
            assertThat(value(metrics, "hangfire_recurring_lateness_seconds").orElseThrow()).isBetween(2.0, 30.0);
            assertThat(jobs.recurring().get("blocked-every-second").orElseThrow().error())
                    .contains("blocked by the test");
        } finally {
            jobs.recurring().removeIfExists("blocked-every-second");
            BlockingFilter.BLOCKED = false;
        }
        await().atMost(SOON).until(MetricsTest::scrape, m -> value(m, "hangfire_recurring_lateness_seconds").orElse(-1) == 0);
    }

    @Test
    void gaugesShowTheBacklogFromTheSnapshot() {
        String metrics = await().atMost(SOON).until(MetricsTest::scrape,
                m -> value(m, "hangfire_queue_oldest_age_seconds", "queue", "unserved").orElse(0) > 0.3);
        assertThat(value(metrics, "hangfire_queue_enqueued", "queue", "unserved")).hasValue(1);
        assertThat(value(metrics, "hangfire_queue_enqueued", "queue", "default")).hasValue(0);
        assertThat(value(metrics, "hangfire_jobs_current", "state", "scheduled")).hasValue(1);
        assertThat(value(metrics, "hangfire_jobs_current", "state", "failed")).hasValue(1);
        assertThat(value(metrics, "hangfire_jobs_current", "state", "enqueued")).hasValue(1);
        assertThat(value(metrics, "hangfire_jobs_current", "state", "processing")).hasValue(0);
        assertThat(value(metrics, "hangfire_servers_live")).hasValue(1);
        // no recurring job here: nothing is due, nothing is late
        assertThat(value(metrics, "hangfire_recurring_lateness_seconds")).hasValue(0);
        assertThat(value(metrics, "hangfire_workers")).hasValue(4);
        assertThat(value(metrics, "hangfire_workers_busy")).hasValue(0);
    }

    @Test
    void theGrafanaDashboardAndTheAlertRulesUseOnlyMetricsThatExist() throws Exception {
        String metrics = scrape();
        for (String file : List.of("grafana-dashboard.json", "prometheus-alerts.yml")) {
            List<String> used = DashboardFiles.metricNames(file);
            assertThat(used).as("metrics used by %s", file).isNotEmpty();
            assertThat(used).as("metrics used by %s that /q/metrics does not expose", file)
                    .allSatisfy(name -> assertThat(metrics).contains("\n" + name));
        }
    }

    static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the sample {@code name} whose labels include {@code labels} (pairs), if exactly one matches. */
    static OptionalDouble value(String metrics, String name, String... labels) {
        List<Double> found = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < labels.length; i += 2) {
                matches &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (matches) {
                // the value follows the labels; an exemplar (with tracing on) may follow it
                String rest = line.substring(line.contains("}") ? line.indexOf('}') + 1 : name.length()).trim();
                found.add(Double.parseDouble(rest.split(" ")[0]));
            }
        }
        if (found.size() > 1) {
            throw new AssertionError("More than one sample of " + name + " with " + Map.of() + List.of(labels) + ": " + found);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0));
    }
}
