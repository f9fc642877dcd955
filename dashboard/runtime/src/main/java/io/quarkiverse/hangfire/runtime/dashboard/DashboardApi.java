package io.quarkiverse.hangfire.runtime.dashboard;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Grant;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Level;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardQueries.Filter;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BatchItem;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BatchJob;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BatchList;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BatchView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.History;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobList;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Me;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.QueueView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.RecurringView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ServerView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Stats;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.resteasy.reactive.jackson.CustomSerialization;
import io.vertx.core.http.HttpServerRequest;

import static io.quarkiverse.hangfire.runtime.dashboard.DashboardErrors.badRequest;
import static io.quarkiverse.hangfire.runtime.dashboard.DashboardErrors.notFound;

/**
 * The dashboard's JSON API for reading: who is looking, counts, job lists and details, queues, recurring jobs,
 * servers. Registered by the build under {@code quarkus.hangfire.dashboard.path} beside {@link DashboardPages} (the
 * web UI) and {@link DashboardActions}; every method starts with the access check. The views come from
 * {@link DashboardQueries}, a text search from {@link JobSearch}.
 */
@jakarta.enterprise.context.RequestScoped
@CustomSerialization(DashboardJson.Writer.class)
@CustomDeserialization(DashboardJson.Reader.class)
public class DashboardApi {

    static final int MAX_SEARCH_TEXT = 200;
    /** The jobs a batch's page shows in each state: each a bounded read of the batch's (batch_id, state) index. */
    static final int BATCH_JOBS_PER_STATE = 20;

    @Inject
    io.quarkiverse.hangfire.JobMonitor monitor;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.BatchStore batchStore;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.Transactions storage;

    @Inject
    DashboardAccess access;

    @Inject
    DashboardQueries queries;

    @Inject
    JobSearch search;

    @Inject
    HangfireConfig config;

    @Inject
    DashboardBuildTimeConfig buildConfig;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @Context
    HttpServerRequest request;

    @GET
    @Path("api/me")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Who is looking and whether they may act; sets the CSRF cookie that actions send back in a header.", returns = Me.class)
    public Response me() {
        Grant grant = access.require(Level.READ, request);
        String dashboardPath = DashboardPages.dashboardPath(uri, buildConfig);
        Me me = new Me(grant.user(), grant.readOnly(), dashboardPath, JobRegistry.names(), config.server().queues(),
                DashboardAccess.CSRF_HEADER, DashboardAccess.CSRF_COOKIE);
        Response.ResponseBuilder response = Response.ok(me);
        access.csrfCookie(grant, headers, request, dashboardPath).ifPresent(response::cookie);
        return response.build();
    }

    @GET
    @Path("api/stats")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc("Jobs per state now, all-time totals of finished jobs, and the numbers of retries, recurring jobs and servers.")
    public Stats stats() {
        access.require(Level.READ, request);
        return queries.stats();
    }

    @GET
    @Path("api/history")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Succeeded, failed and deleted jobs per hour for the last 24 hours (unit=HOURS) or per day for the last 7 days (unit=DAYS).", errors = "400: unit is neither HOURS nor DAYS")
    public History history(@QueryParam("unit") @DefaultValue("HOURS") String unit) {
        access.require(Level.READ, request);
        ChronoUnit chronoUnit = switch (unit) {
            case "HOURS" -> ChronoUnit.HOURS;
            case "DAYS" -> ChronoUnit.DAYS;
            default -> throw badRequest("unit must be HOURS or DAYS, not '" + unit + "'");
        };
        return queries.history(chronoUnit);
    }

    @GET
    @Path("api/jobs")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Jobs, narrowed by state, job name, queue and a text found, ignoring case, in what the dashboard shows of the arguments, the state reason or an exception (never in a redacted value). In a state newest state change first; without a state newest created first. Narrowed by job name or queue, a list looks through the newest 10,000 jobs of its state (of all jobs without a state) only; its answer's window member says so. A text search looks through the newest jobs of the state only (quarkus.hangfire.dashboard.search.window); its answer's search member says so. Pages stop at offset 10,000.", errors = {
            "400: unknown state, offset (0 to 10,000) or limit out of range, or a text shorter than quarkus.hangfire.dashboard.search.min-length",
            "429: this user has a search running, or too many searches run at once (Retry-After)",
            "503: the search took longer than quarkus.hangfire.dashboard.search.timeout (Retry-After)" })
    public JobList jobs(@QueryParam("state") String state, @QueryParam("name") String name, @QueryParam("queue") String queue,
            @QueryParam("text") String text, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        Grant grant = access.require(Level.READ, request);
        checkPage(offset, limit);
        Filter filter = new Filter(state == null || state.isBlank() ? null : state(state), blankToNull(name),
                blankToNull(queue), blankToNull(text), false);
        if (filter.text() == null) {
            return queries.jobs(filter, offset, limit);
        }
        if (filter.text().length() < search.minLength() || filter.text().length() > MAX_SEARCH_TEXT) {
            throw badRequest("A search text must have at least " + search.minLength() + " characters and at most "
                    + MAX_SEARCH_TEXT + ", got " + filter.text().length());
        }
        return search.search(filter, offset, limit, grant.user());
    }

    @GET
    @Path("api/retries")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Jobs waiting in Scheduled for an automatic retry, newest first, among the newest 10,000 scheduled jobs (the answer's window member says whether older ones were left out).", errors = "400: offset/limit out of range")
    public JobList retries(@QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        access.require(Level.READ, request);
        checkPage(offset, limit);
        return queries.jobs(new Filter(JobState.SCHEDULED, null, null, null, true), offset, limit);
    }

    @GET
    @Path("api/jobs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "One job: arguments, parameters, full state history with each state's data, exception, parent, continuations, progress and log.", errors = "404: no such job")
    public JobView job(@PathParam("id") String id) {
        access.require(Level.READ, request);
        return queries.job(id).orElseThrow(() -> notFound("There is no job " + id));
    }

    @GET
    @Path("api/queues")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc("The queues this instance serves and any other holding jobs, with their waiting and running jobs and the next few waiting.")
    public List<QueueView> queues() {
        access.require(Level.READ, request);
        return queries.queues();
    }

    @GET
    @Path("api/rate-limits")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc("The rate limits in use (the first 50 by name), with how many starts their sliding window holds now: jobs over a limit wait in their queue.")
    public List<DashboardViews.RateLimitView> rateLimits() {
        access.require(Level.READ, request);
        return queries.rateLimits();
    }

    @GET
    @Path("api/recurring")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc("The recurring jobs with their schedules, next and last executions.")
    public List<RecurringView> recurringJobs() {
        access.require(Level.READ, request);
        return queries.recurring();
    }

    @GET
    @Path("api/servers")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc("The live servers: their queues, workers and last heartbeat.")
    public List<ServerView> servers() {
        access.require(Level.READ, request);
        return queries.servers();
    }

    @GET
    @Path("api/batches")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Batches with their progress, newest first.", errors = "400: offset/limit out of range")
    public BatchList batches(@QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        access.require(Level.READ, request);
        checkPage(offset, limit);
        return new BatchList(monitor.batches(null, offset, limit).stream().map(BatchItem::of).toList(), offset, limit);
    }

    @GET
    @Path("api/batches/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "One batch: its progress, the first jobs in each state, its nested batches and its continuations.", errors = "404: no such batch")
    public BatchView batch(@PathParam("id") String id) {
        access.require(Level.READ, request);
        io.quarkiverse.hangfire.BatchInfo batch;
        try {
            batch = monitor.batch(id).orElse(null);
        } catch (IllegalArgumentException malformed) {
            batch = null;
        }
        if (batch == null) {
            throw notFound("There is no batch " + id);
        }
        java.util.Map<JobState, List<BatchJob>> jobs = new java.util.EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            jobs.put(state, !mayHold(batch, state) ? List.of()
                    : monitor.batchJobs(id, state, 0, BATCH_JOBS_PER_STATE).stream()
                            .map(j -> new BatchJob(j.id(), j.jobName(), j.state(), j.stateChangedAt())).toList());
        }
        long batchId = Long.parseLong(batch.id());
        List<BatchJob> continuationJobs = storage.inTransaction(c -> batchStore.continuationJobs(c, batchId,
                BATCH_JOBS_PER_STATE)).stream().map(j -> new BatchJob(j.id(), j.jobName(), j.state(), j.stateChangedAt()))
                .toList();
        return new BatchView(BatchItem.of(batch), monitor.nestedBatches(id).stream().map(BatchItem::of).toList(),
                monitor.batchContinuations(id).stream().map(BatchItem::of).toList(), continuationJobs, jobs,
                BATCH_JOBS_PER_STATE);
    }

    /**
     * Whether the batch's counters leave room for members in {@code state}. A state they show empty is not read: a
     * batch's jobs in one state are found among all its jobs, so a read for none would go through them all.
     */
    private static boolean mayHold(io.quarkiverse.hangfire.BatchInfo batch, JobState state) {
        return switch (state) {
            case SUCCEEDED -> batch.succeeded() > 0;
            case DELETED -> batch.deleted() > 0;
            case FAILED -> batch.failed() > 0;
            default -> batch.total() - batch.succeeded() - batch.deleted() - batch.failed() > 0;
        };
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || offset > DashboardQueries.MAX_OFFSET || limit < 1 || limit > DashboardQueries.MAX_PAGE) {
            throw badRequest("offset must be between 0 and " + DashboardQueries.MAX_OFFSET + " (narrow the list to reach"
                    + " older jobs) and limit between 1 and " + DashboardQueries.MAX_PAGE + ", got offset " + offset
                    + " and limit " + limit);
        }
    }

    private static JobState state(String name) {
        try {
            return JobState.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badRequest("Unknown state '" + name + "'; states are " + java.util.Arrays.toString(JobState.values()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
