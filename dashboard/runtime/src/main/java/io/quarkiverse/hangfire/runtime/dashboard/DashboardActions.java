package io.quarkiverse.hangfire.runtime.dashboard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.admin.JobAdministration;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Grant;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Level;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BatchActionResult;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.BulkResult;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Changed;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobAction;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.RecurringAction;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.SingleAction;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.TriggerResult;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobReads;
import io.quarkiverse.hangfire.runtime.storage.RecurringReads;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import io.quarkus.resteasy.reactive.jackson.CustomSerialization;
import io.vertx.core.http.HttpServerRequest;

import static io.quarkiverse.hangfire.runtime.dashboard.DashboardErrors.badRequest;
import static io.quarkiverse.hangfire.runtime.dashboard.DashboardErrors.conflict;
import static io.quarkiverse.hangfire.runtime.dashboard.DashboardErrors.notFound;

/**
 * The dashboard's actions on jobs and recurring jobs, through {@link JobAdministration}; what an action that changed
 * nothing found instead is read through the shared read model. Registered by the build
 * under {@code quarkus.hangfire.dashboard.path} beside {@link DashboardApi}; every action needs the write level and
 * the CSRF token, checked before anything else of the request, and acts on at most {@value #MAX_BULK} targets.
 */
@jakarta.enterprise.context.RequestScoped
@CustomSerialization(DashboardJson.Writer.class)
@CustomDeserialization(DashboardJson.Reader.class)
public class DashboardActions {

    static final int MAX_BULK = 1000;

    @Inject
    DashboardAccess access;

    @Inject
    JobAdministration admin;

    @Inject
    io.quarkiverse.hangfire.JobScheduler scheduler;

    @Inject
    Transactions storage;

    @Context
    HttpHeaders headers;

    @Context
    HttpServerRequest request;

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

    // ---- acting on batches ----

    @POST
    @Path("api/batches/{id}/delete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Deletes a batch: its unfinished jobs and those of its nested batches; the number of jobs deleted.", action = true, errors = "404: no such batch")
    public BatchActionResult deleteBatch(@PathParam("id") String id) {
        requireWrite();
        return onBatch(id, () -> scheduler.deleteBatch(id));
    }

    @POST
    @Path("api/batches/{id}/requeue")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Requeues the failed jobs of a batch and of its nested batches; the number of jobs requeued.", action = true, errors = "404: no such batch")
    public BatchActionResult requeueBatch(@PathParam("id") String id) {
        requireWrite();
        return onBatch(id, () -> scheduler.requeueBatch(id));
    }

    private static BatchActionResult onBatch(String id, java.util.function.IntSupplier action) {
        try {
            return new BatchActionResult(action.getAsInt());
        } catch (IllegalArgumentException noSuchBatch) {
            // a malformed id names no batch either
            throw notFound("There is no batch " + id);
        }
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

    @POST
    @Path("api/queues/{name}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Pauses a queue on every server, until resumed or until the given instant ({\"until\": \"2026-12-01T08:00:00Z\"}); workers finish the jobs they hold and claim nothing more from it.", action = true, errors = "400: not a queue name, or not an instant")
    public Changed pauseQueue(@PathParam("name") String name, DashboardViews.QueuePauseAction action) {
        Grant grant = requireWriteGrant();
        java.time.Instant until = null;
        if (action != null && action.until() != null && !action.until().isBlank()) {
            try {
                until = java.time.Instant.parse(action.until());
            } catch (java.time.format.DateTimeParseException e) {
                throw badRequest("'until' is not an ISO-8601 instant such as 2026-12-01T08:00:00Z");
            }
        }
        try {
            admin.pauseQueue(name, until, grant.user() == null ? "dashboard" : "dashboard user " + grant.user());
        } catch (IllegalArgumentException e) {
            throw badRequest("Not a queue name: queue names are 1 to 50 lower case letters, digits, '_' or '-'");
        }
        return new Changed(true);
    }

    @POST
    @Path("api/queues/{name}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ApiDoc(value = "Lifts a queue's pause.", action = true, errors = { "400: not a queue name", "409: it is not paused" })
    public Changed resumeQueue(@PathParam("name") String name) {
        requireWrite();
        boolean resumed;
        try {
            resumed = admin.resumeQueue(name);
        } catch (IllegalArgumentException e) {
            throw badRequest("Not a queue name: queue names are 1 to 50 lower case letters, digits, '_' or '-'");
        }
        if (!resumed) {
            throw conflict("The queue is not paused: nothing changed", null);
        }
        return new Changed(true);
    }

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
        Set<Long> changed = new HashSet<>(change.apply(ids, action.expectedState()));
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
        JobState now = storage.read(session -> JobReads.state(session, jobId))
                .orElseThrow(() -> notFound("There is no job " + id));
        throw conflict("Job " + id + " is " + now + (expected == null ? "" : ", not " + expected) + ": nothing changed",
                now);
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
            Optional<Boolean> current = storage.read(session -> RecurringReads.paused(session, id));
            if (current.isEmpty() || current.get() == paused) {
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
        if (storage.read(session -> RecurringReads.paused(session, id)).isEmpty()) {
            throw notFound("There is no recurring job '" + id + "'");
        }
        throw conflict("Recurring job '" + id + "' is " + (paused ? "paused" : "running") + " already: nothing changed",
                null);
    }

    private void requireWrite() {
        requireWriteGrant();
    }

    private Grant requireWriteGrant() {
        Grant grant = access.require(Level.WRITE, request);
        access.checkCsrf(grant, headers, request);
        return grant;
    }
}
