package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobCreationCancelledException;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobFilter;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobStateChanged;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The three worked examples of the job filters page, run for real: a tenant id travels from the request that
 * enqueues a job to the request context the job runs in; a job whose retries are spent goes to a dead-letter queue
 * instead of Failed; a webhook is posted (over HTTP, to this application) when a job fails. Plus what the SPI
 * promises: the order by {@code @Priority}, the cancellation of a creation, and the events after the commit, for
 * jobs created through the API and by recurring jobs alike.
 */
class JobFiltersTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Tenant.class, TenantFilter.class, DeadLetterFilter.class,
                    FailureWebhook.class, WebhookReceiver.class, GuardFilter.class, Caller.class, FilteredJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:filters;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.hangfire.server.poll-interval", "200ms")
            .overrideConfigKey("quarkus.hangfire.server.scheduler-interval", "200ms");

    static final Duration SOON = Duration.ofSeconds(20);

    @Inject
    JobScheduler jobs;

    @Inject
    Caller caller;

    @Inject
    FailureWebhook webhook;

    @TestHTTPResource("/webhook-receiver")
    URI receiver;

    @Test
    void theTenantOfTheEnqueuingRequestIsTheTenantOfTheJob() {
        String id = caller.asTenant("acme", () -> jobs.enqueue(FilteredJobs.class, j -> j.whoAmI("report")));
        await().atMost(SOON).until(() -> FilteredJobs.TENANTS.containsKey("report"));
        assertThat(FilteredJobs.TENANTS.get("report")).isEqualTo("acme");
        assertThat(jobs.getJobParameter(id, "tenant", String.class)).contains("acme");
        // the filters ran around the attempt in @Priority order, closing in the opposite order
        assertThat(GuardFilter.CALLS.get(id)).containsExactly("tenant:performing", "guard:performing", "guard:performed",
                "tenant:performed");
    }

    @Test
    void aJobWithoutTenantRunsWithoutOne() {
        String id = jobs.enqueue(FilteredJobs.class, j -> j.whoAmI("anonymous"));
        await().atMost(SOON).until(() -> FilteredJobs.TENANTS.containsKey("anonymous"));
        assertThat(FilteredJobs.TENANTS.get("anonymous")).isEqualTo("(none)");
        assertThat(jobs.getJobParameter(id, "tenant", String.class)).isEmpty();
    }

    @Test
    void aFilterCancelsACreationAndNothingIsStored() {
        long before = jobs.monitor().countsByState().values().stream().mapToLong(Long::longValue).sum();
        assertThatThrownBy(() -> jobs.enqueue(FilteredJobs.class, j -> j.forbidden("alone")))
                .isInstanceOf(JobCreationCancelledException.class)
                .hasMessageContaining("FilteredJobs.forbidden").hasMessageContaining(GuardFilter.class.getName())
                .hasMessageContaining("the guard refuses 'forbidden' jobs");
        assertThatThrownBy(() -> jobs.enqueueAll(FilteredJobs.class, List.of("fine", "forbidden"), (j, label) -> j.forbidden(label)))
                .isInstanceOf(JobCreationCancelledException.class);
        assertThat(jobs.monitor().countsByState().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(before);
    }

    @Test
    void theJobsOfRecurringJobsGoThroughTheCreationFilters() {
        // a scheduled occurrence: the filters set a parameter and hear of the creation after the commit
        jobs.recurring().addOrUpdate("filtered-every-second", FilteredJobs.class, j -> j.stamped("scheduled"), "* * * * * *");
        String scheduled = await().atMost(SOON).until(
                () -> jobs.recurring().get("filtered-every-second").orElseThrow().lastJobId(), java.util.Objects::nonNull);
        jobs.recurring().removeIfExists("filtered-every-second");
        assertThat(jobs.getJobParameter(scheduled, "stamp", String.class)).contains("set by the guard");
        await().atMost(SOON).until(() -> GuardFilter.CREATED.contains(scheduled));

        // a trigger: the same, and a cancelling filter throws to the caller
        jobs.recurring().addOrUpdate("filtered-trigger", FilteredJobs.class, j -> j.stamped("triggered"), "@yearly");
        String triggered = jobs.recurring().trigger("filtered-trigger");
        assertThat(jobs.getJobParameter(triggered, "stamp", String.class)).contains("set by the guard");
        assertThat(GuardFilter.CREATED).contains(triggered);
        jobs.recurring().addOrUpdate("refused", FilteredJobs.class, j -> j.forbidden("recurring"), "@yearly");
        assertThatThrownBy(() -> jobs.recurring().trigger("refused")).isInstanceOf(JobCreationCancelledException.class);

        // a scheduled occurrence a filter cancels is skipped: no job, and the recurring job moves on to the next one
        jobs.recurring().addOrUpdate("refused-every-second", FilteredJobs.class, j -> j.forbidden("every second"),
                "* * * * * *");
        java.time.Instant first = jobs.recurring().get("refused-every-second").orElseThrow().nextExecution();
        await().atMost(SOON).until(() -> jobs.recurring().get("refused-every-second").orElseThrow().nextExecution()
                .isAfter(first.plusSeconds(1)));
        io.quarkiverse.hangfire.RecurringJobInfo refused = jobs.recurring().get("refused-every-second").orElseThrow();
        jobs.recurring().removeIfExists("refused-every-second");
        jobs.recurring().removeIfExists("refused");
        jobs.recurring().removeIfExists("filtered-trigger");
        assertThat(refused.lastJobId()).isNull();
        assertThat(refused.error()).isNull();
    }

    @Test
    void aJobWhoseRetriesAreSpentGoesToTheDeadLetterQueue() {
        String id = jobs.enqueue(FilteredJobs.class, j -> j.alwaysFails("dead"));
        await().atMost(SOON).until(() -> jobs.monitor().job(id).orElseThrow().queue().equals("dead-letter"));
        JobDetails job = jobs.monitor().job(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.ENQUEUED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.stateReason()).isEqualTo("Moved to the dead-letter queue after 1 retries");
        // the history (newest first) keeps both failures: the retried one and the last, which the filter elected away
        List<JobState> states = job.history().stream().map(StateRecord::state).toList();
        assertThat(states).containsExactly(JobState.ENQUEUED, JobState.FAILED, JobState.PROCESSING, JobState.ENQUEUED,
                JobState.FAILED, JobState.PROCESSING, JobState.ENQUEUED);
        StateRecord lastFailure = job.history().stream().filter(s -> s.state() == JobState.FAILED).findFirst().orElseThrow();
        assertThat(lastFailure.reason()).startsWith("Exceeded the maximum number of retry attempts (1)");
        assertThat(lastFailure.data()).containsEntry("exceptionType", IllegalStateException.class.getName());
        // this server does not serve the dead-letter queue: it stays there for an operator
        assertThat(jobs.monitor().enqueuedCountsByQueue()).containsEntry("dead-letter", 1L);
    }

    @Test
    void aFailedJobPostsAWebhookAfterTheCommit() {
        webhook.postTo(receiver);
        String id = jobs.enqueue(FilteredJobs.class, j -> j.failsForGood("webhook"));
        await().atMost(SOON).until(() -> WebhookReceiver.RECEIVED.stream().anyMatch(body -> body.contains(id)));
        String body = WebhookReceiver.RECEIVED.stream().filter(b -> b.contains(id)).findFirst().orElseThrow();
        assertThat(body).contains("\"jobName\":\"FilteredJobs.failsForGood\"")
                .contains("\"exceptionType\":\"java.lang.IllegalArgumentException\"")
                .contains("no good input");
        assertThat(jobs.monitor().job(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
        // filters heard of the creation and of each change once committed; the creating thread and the worker's
        // commit on different threads, so the creation may be heard after the claim (see JobFilter.onStateApplied)
        await().atMost(SOON).until(() -> GuardFilter.APPLIED.getOrDefault(id, List.of()).contains("PROCESSING->FAILED"));
        assertThat(GuardFilter.APPLIED.get(id)).containsExactlyInAnyOrder("null->ENQUEUED", "ENQUEUED->PROCESSING",
                "PROCESSING->FAILED");
        assertThat(GuardFilter.CREATED).contains(id);
    }

    // ---- the application ----

    /** Who the current request acts for. */
    @RequestScoped
    public static class Tenant {
        String id;
    }

    /** Example 1: the tenant of the request that creates a job is the tenant of the request the job runs in. */
    @ApplicationScoped
    @Priority(10)
    public static class TenantFilter implements JobFilter {
        @Inject
        Tenant tenant;

        @Override
        public void onCreating(Creating job) {
            if (io.quarkus.arc.Arc.container().requestContext().isActive() && tenant.id != null) {
                job.setParameter("tenant", tenant.id);
            }
        }

        @Override
        public void onPerforming(JobContext job) {
            job.getParameter("tenant", String.class).ifPresent(id -> tenant.id = id);
            GuardFilter.call(job.jobId(), "tenant:performing");
        }

        @Override
        public void onPerformed(JobContext job, Throwable failure) {
            GuardFilter.call(job.jobId(), "tenant:performed");
        }
    }

    /** Example 2: once its retries are spent, a job goes to the dead-letter queue rather than to Failed. */
    @ApplicationScoped
    public static class DeadLetterFilter implements JobFilter {
        @Override
        public void onStateElection(StateElection election) {
            if (election.candidate() == JobState.FAILED && election.jobName().equals("FilteredJobs.alwaysFails")) {
                election.enqueueOn("dead-letter", "Moved to the dead-letter queue after " + election.retryCount() + " retries");
            }
        }
    }

    /** Example 3: a webhook posted when a job fails for good, from an asynchronous observer, after the commit. */
    @ApplicationScoped
    public static class FailureWebhook {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private volatile URI target;

        void postTo(URI url) {
            target = url;
        }

        @Inject
        ObjectMapper json;

        void onFailure(@ObservesAsync JobStateChanged change) throws Exception {
            if (change.to() != JobState.FAILED || target == null) {
                return;
            }
            Map<String, Object> body = Map.of("jobId", change.jobId(), "jobName", change.jobName(), "reason",
                    String.valueOf(change.reason()), "exceptionType", change.data().getOrDefault("exceptionType", ""));
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
    }

    @Path("/webhook-receiver")
    public static class WebhookReceiver {
        static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        public void receive(String body) {
            RECEIVED.add(body);
        }
    }

    /** Refuses some creations, and records what the filters were told. */
    @ApplicationScoped
    @Priority(20)
    public static class GuardFilter implements JobFilter {
        static final Map<String, List<String>> CALLS = new ConcurrentHashMap<>();
        static final Map<String, List<String>> APPLIED = new ConcurrentHashMap<>();
        static final List<String> CREATED = new CopyOnWriteArrayList<>();

        static void call(String jobId, String what) {
            CALLS.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(what);
        }

        @Override
        public void onCreating(Creating job) {
            if (job.jobName().equals("FilteredJobs.forbidden")) {
                job.cancel("the guard refuses 'forbidden' jobs");
            }
            if (job.jobName().equals("FilteredJobs.stamped")) {
                job.setParameter("stamp", "set by the guard");
            }
        }

        @Override
        public void onCreated(JobStateChanged created) {
            CREATED.add(created.jobId());
        }

        @Override
        public void onPerforming(JobContext job) {
            call(job.jobId(), "guard:performing");
        }

        @Override
        public void onPerformed(JobContext job, Throwable failure) {
            call(job.jobId(), "guard:performed");
        }

        @Override
        public void onStateApplied(JobStateChanged change) {
            APPLIED.computeIfAbsent(change.jobId(), k -> new CopyOnWriteArrayList<>()).add(change.from() + "->" + change.to());
        }
    }

    @ApplicationScoped
    public static class Caller {
        @Inject
        Tenant tenant;

        @ActivateRequestContext
        public String asTenant(String id, java.util.function.Supplier<String> work) {
            tenant.id = id;
            return work.get();
        }
    }

    public static class FilteredJobs {
        static final Map<String, String> TENANTS = new ConcurrentHashMap<>();

        @Inject
        Tenant tenant;

        @BackgroundJob(retries = 0)
        public void whoAmI(String label) {
            TENANTS.put(label, tenant.id == null ? "(none)" : tenant.id);
        }

        @BackgroundJob
        public void forbidden(String label) {
        }

        @BackgroundJob
        public void stamped(String label) {
        }

        @BackgroundJob(retries = 1, retryDelays = "PT0S")
        public void alwaysFails(String label) {
            throw new IllegalStateException("always fails: " + label);
        }

        @BackgroundJob(retries = 0)
        public void failsForGood(String label) {
            throw new IllegalArgumentException("no good input: " + label);
        }
    }
}
