package io.quarkiverse.hangfire.runtime.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.runtime.HangfireJobMonitor;
import io.quarkiverse.hangfire.runtime.admin.JobAdministration;
import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Grant;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Level;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardQueries.Filter;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BulkResult;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Changed;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.History;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobAction;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobList;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Me;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.QueueView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.RecurringAction;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.RecurringView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ServerView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.SingleAction;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Stats;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.TriggerResult;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.resteasy.reactive.jackson.CustomSerialization;
import io.vertx.core.http.HttpServerRequest;

/**
 * The dashboard: its web UI and the JSON API the UI reads and acts through. Registered by the build under
 * {@code quarkus.hangfire.dashboard.path}, hence no class-level {@code @Path}. Every method starts with the access
 * check; actions also check the CSRF token. {@link DashboardHeaders} puts the security headers on every answer.
 */
@jakarta.enterprise.context.RequestScoped
@CustomSerialization(DashboardJson.Writer.class)
@CustomDeserialization(DashboardJson.Reader.class)
public class DashboardResource {

    /** The UI's own files, flat, in {@code META-INF/hangfire-dashboard/}. */
    static final String UI_FOLDER = "META-INF/hangfire-dashboard/";
    /** Written by the build from this class (see {@link ApiDoc}). */
    public static final String OPENAPI_RESOURCE = UI_FOLDER + "openapi.json";
    public static final String CHART_JS_RESOURCE = "META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js";
    static final int MAX_BULK = 1000;
    static final int MAX_SEARCH_TEXT = 200;

    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]+\\.(js|css|svg)");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Inject
    DashboardAccess access;

    @Inject
    DashboardQueries queries;

    @Inject
    JobAdministration admin;

    @Inject
    JobSearch search;

    @Inject
    HangfireJobMonitor monitor;

    @Inject
    HangfireConfig config;

    @Inject
    HangfireBuildTimeConfig buildConfig;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @Context
    HttpServerRequest request;

    // ---- the web UI ----

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response index() {
        Grant grant = access.require(Level.READ, request);
        if (!request.path().endsWith("/")) {
            // the UI's links are relative to the folder. The target is the configured path, never the request's:
            // "//evil.example/%2e%2e/hangfire" also reaches this method, and echoing it would send the browser away
            return Response.status(Response.Status.SEE_OTHER).header("Location", dashboardPath() + "/").build();
        }
        Response.ResponseBuilder page = ui(resource(UI_FOLDER + "index.html"), "text/html;charset=UTF-8");
        access.csrfCookie(grant, headers, request, dashboardPath()).ifPresent(page::cookie);
        return page.build();
    }

    @GET
    @Path("assets/{file}")
    public Response asset(@PathParam("file") String file) {
        access.require(Level.READ, request);
        if (!ASSET.matcher(file).matches()) {
            throw new NotFoundException();
        }
        String type = file.endsWith(".js") ? "text/javascript;charset=UTF-8"
                : file.endsWith(".css") ? "text/css;charset=UTF-8" : "image/svg+xml";
        return ui(resource(UI_FOLDER + file), type).header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("lib/chart.js")
    public Response chartJs() {
        access.require(Level.READ, request);
        return ui(resource(CHART_JS_RESOURCE), "text/javascript;charset=UTF-8").header("Cache-Control", "max-age=86400")
                .build();
    }

    @GET
    @Path("api/openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        access.require(Level.READ, request);
        String document = new String(resource(OPENAPI_RESOURCE), StandardCharsets.UTF_8).replace("${dashboardPath}",
                dashboardPath());
        return Response.ok(document, MediaType.APPLICATION_JSON_TYPE).build();
    }

    // ---- reading ----

    @GET
    @Path("api/me")
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Who is looking and whether they may act; sets the CSRF cookie that actions send back in a header.", returns = Me.class)
    public Response me() {
        Grant grant = access.require(Level.READ, request);
        Me me = new Me(grant.user(), grant.readOnly(), dashboardPath(), JobRegistry.names(), config.server().queues(),
                DashboardAccess.CSRF_HEADER, DashboardAccess.CSRF_COOKIE);
        Response.ResponseBuilder response = Response.ok(me);
        access.csrfCookie(grant, headers, request, dashboardPath()).ifPresent(response::cookie);
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
    @ApiDoc(value = "Jobs, newest state change first, narrowed by state, job name, queue and a text found, ignoring case, in what the dashboard shows of the arguments, the state reason or an exception (never in a redacted value). A text search looks through the newest jobs matching the other filters only (quarkus.hangfire.dashboard.search.window); its answer's search member says so.", errors = {
            "400: unknown state, offset/limit out of range, or a text shorter than quarkus.hangfire.dashboard.search.min-length",
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
    @ApiDoc(value = "Jobs waiting in Scheduled for an automatic retry, newest first.", errors = "400: offset/limit out of range")
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

    // ---- acting on jobs ----

    @POST
    @Path("api/jobs/requeue")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Requeues the listed jobs that are in expectedState (any state if absent), in one transaction.", action = true, errors = "400: no ids, more than 1000, or an unknown state")
    public BulkResult requeueJobs(JobAction action) {
        return bulk(action, (ids, expected) -> admin.requeueAll(ids, expected));
    }

    @POST
    @Path("api/jobs/delete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Deletes the listed jobs that are in expectedState (any state if absent), in one transaction.", action = true, errors = "400: no ids, more than 1000, or an unknown state")
    public BulkResult deleteJobs(JobAction action) {
        return bulk(action, (ids, expected) -> admin.deleteAll(ids, expected));
    }

    @POST
    @Path("api/jobs/enqueue-now")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Enqueues now the listed Scheduled and Awaiting jobs that are in expectedState (either if absent), in one transaction.", action = true, errors = "400: no ids, more than 1000, or an unknown state")
    public BulkResult enqueueJobsNow(JobAction action) {
        return bulk(action, (ids, expected) -> admin.enqueueNowAll(ids, expected));
    }

    @POST
    @Path("api/jobs/{id}/requeue")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Requeues one job if it is in expectedState (any state if absent).", action = true, errors = {
            "404: no such job", "409: the job is not in expectedState" })
    public Changed requeueJob(@PathParam("id") String id, SingleAction action) {
        return single(id, action, (ids, expected) -> admin.requeueAll(ids, expected));
    }

    @POST
    @Path("api/jobs/{id}/delete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Deletes one job if it is in expectedState (any state if absent).", action = true, errors = {
            "404: no such job", "409: the job is not in expectedState, or deleted already" })
    public Changed deleteJob(@PathParam("id") String id, SingleAction action) {
        return single(id, action, (ids, expected) -> admin.deleteAll(ids, expected));
    }

    @POST
    @Path("api/jobs/{id}/enqueue-now")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Enqueues one Scheduled or Awaiting job now.", action = true, errors = { "404: no such job",
            "409: the job is neither Scheduled nor Awaiting (or not in expectedState)" })
    public Changed enqueueJobNow(@PathParam("id") String id, SingleAction action) {
        return single(id, action, (ids, expected) -> admin.enqueueNowAll(ids, expected));
    }

    // ---- acting on recurring jobs ----

    @POST
    @Path("api/recurring/trigger")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Creates a job from each listed recurring job now, without changing their schedules.", action = true, errors = "400: no ids or more than 1000")
    public TriggerResult triggerRecurring(RecurringAction action) {
        List<String> ids = recurringIds(action);
        Map<String, String> triggered = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (String id : ids) {
            try {
                triggered.put(id, admin.triggerRecurring(id));
            } catch (IllegalArgumentException noSuchJob) {
                skipped.add(id);
            }
        }
        return new TriggerResult(triggered, skipped);
    }

    @POST
    @Path("api/recurring/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Pauses the listed recurring jobs that are running on schedule.", action = true, errors = "400: no ids or more than 1000")
    public BulkResult pauseRecurring(RecurringAction action) {
        return setPaused(recurringIds(action), true);
    }

    @POST
    @Path("api/recurring/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Resumes the listed paused recurring jobs.", action = true, errors = "400: no ids or more than 1000")
    public BulkResult resumeRecurring(RecurringAction action) {
        return setPaused(recurringIds(action), false);
    }

    @POST
    @Path("api/recurring/{id}/trigger")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Creates a job from one recurring job now.", action = true, errors = "404: no such recurring job")
    public TriggerResult triggerOneRecurring(@PathParam("id") String id) {
        TriggerResult result = triggerRecurring(new RecurringAction(List.of(id)));
        if (result.triggered().isEmpty()) {
            throw notFound("There is no recurring job '" + id + "'");
        }
        return result;
    }

    @POST
    @Path("api/recurring/{id}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Pauses one recurring job.", action = true, errors = { "404: no such recurring job",
            "409: it is paused already" })
    public Changed pauseOneRecurring(@PathParam("id") String id) {
        return oneRecurring(id, true);
    }

    @POST
    @Path("api/recurring/{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Resumes one paused recurring job.", action = true, errors = { "404: no such recurring job",
            "409: it is not paused" })
    public Changed resumeOneRecurring(@PathParam("id") String id) {
        return oneRecurring(id, false);
    }

    // ---- helpers ----

    private BulkResult bulk(JobAction action, BiFunction<List<Long>, JobState, List<Long>> change) {
        requireWrite();
        if (action == null || action.ids() == null || action.ids().isEmpty()) {
            throw badRequest("Give the jobs to act on as {\"ids\": [...]}");
        }
        if (action.ids().size() > MAX_BULK) {
            throw badRequest("At most " + MAX_BULK + " jobs per request, got " + action.ids().size());
        }
        List<Long> ids = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String id : action.ids()) {
            try {
                ids.add(JobId.parse(id));
            } catch (IllegalArgumentException e) {
                skipped.add(id);
            }
        }
        java.util.Set<Long> changed = new java.util.HashSet<>(change.apply(ids, action.expectedState()));
        for (Long id : ids) {
            if (!changed.contains(id)) {
                skipped.add(id.toString());
            }
        }
        return new BulkResult(ids.stream().filter(changed::contains).map(String::valueOf).toList(), skipped);
    }

    private Changed single(String id, SingleAction action, BiFunction<List<Long>, JobState, List<Long>> change) {
        requireWrite();
        long jobId;
        try {
            jobId = JobId.parse(id);
        } catch (IllegalArgumentException e) {
            throw notFound("There is no job " + id);
        }
        JobState expected = action == null ? null : action.expectedState();
        if (!change.apply(List.of(jobId), expected).isEmpty()) {
            return new Changed(true);
        }
        JobState now;
        try {
            now = monitor.state(id);
        } catch (JobNotFoundException e) {
            throw notFound("There is no job " + id);
        }
        throw new WebApplicationException(Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error("Job " + id + " is " + now + (expected == null ? "" : ", not " + expected)
                        + ": nothing changed", now))
                .build());
    }

    private List<String> recurringIds(RecurringAction action) {
        requireWrite();
        if (action == null || action.ids() == null || action.ids().isEmpty()) {
            throw badRequest("Give the recurring jobs to act on as {\"ids\": [...]}");
        }
        if (action.ids().size() > MAX_BULK) {
            throw badRequest("At most " + MAX_BULK + " recurring jobs per request, got " + action.ids().size());
        }
        return action.ids();
    }

    private BulkResult setPaused(List<String> ids, boolean paused) {
        List<String> changed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String id : ids) {
            Optional<RecurringJobInfo> current = queries.recurringJob(id);
            if (current.isEmpty() || current.get().paused() == paused) {
                skipped.add(id);
                continue;
            }
            if (paused) {
                admin.pauseRecurring(id);
            } else {
                admin.resumeRecurring(id);
            }
            changed.add(id);
        }
        return new BulkResult(changed, skipped);
    }

    private Changed oneRecurring(String id, boolean paused) {
        BulkResult result = setPaused(recurringIds(new RecurringAction(List.of(id))), paused);
        if (!result.changed().isEmpty()) {
            return new Changed(true);
        }
        if (queries.recurringJob(id).isEmpty()) {
            throw notFound("There is no recurring job '" + id + "'");
        }
        throw new WebApplicationException(Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error("Recurring job '" + id + "' is " + (paused ? "paused" : "running")
                        + " already: nothing changed", null))
                .build());
    }

    private void requireWrite() {
        Grant grant = access.require(Level.WRITE, request);
        access.checkCsrf(grant, headers, request);
    }

    /**
     * The dashboard's absolute path: the configured one under the REST root (quarkus.http.root-path and the REST
     * path, and a proxy's X-Forwarded-Prefix when Quarkus is told to trust it), never taken from the request's path.
     */
    private String dashboardPath() {
        String path = stripSlash(uri.getBaseUri().getPath()) + stripSlash(buildConfig.dashboard().path());
        // one leading slash: "//host/..." in a Location header would name another site
        return "/" + path.replaceFirst("^/+", "");
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Response.ResponseBuilder ui(byte[] content, String type) {
        return Response.ok(content).type(type).header("Content-Security-Policy", CSP).header("Referrer-Policy", "no-referrer");
    }

    private static byte[] resource(String name) {
        // the application's class loader: it also sees what the build generated (the OpenAPI document)
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new NotFoundException();
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + name, e);
        }
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > DashboardQueries.MAX_PAGE) {
            throw badRequest("offset must be >= 0 and limit between 1 and " + DashboardQueries.MAX_PAGE + ", got offset "
                    + offset + " and limit " + limit);
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

    private static WebApplicationException badRequest(String message) {
        return new BadRequestException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, null)).build());
    }

    private static WebApplicationException notFound(String message) {
        return new NotFoundException(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, null)).build());
    }
}
