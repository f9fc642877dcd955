package io.quarkiverse.hangfire.it.remote;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobPage;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.RecurringOptions;
import io.quarkiverse.hangfire.ServerInfo;
import io.quarkiverse.hangfire.it.DashboardJobs;
import io.quarkiverse.hangfire.it.Executions;
import io.quarkiverse.hangfire.it.Item;
import io.quarkiverse.hangfire.it.LimitedJobs;
import io.quarkiverse.hangfire.it.TestJobs;
import io.quarkiverse.hangfire.it.ValueJobs;

/**
 * {@link JobScheduler} over HTTP, for the tests that run this app as a separate process (the native image), where
 * no bean can be injected into the test. One endpoint per operation, each a thin call; what the jobs did is read
 * from {@link Executions}. Only the user with the role {@code it-driver} may call it.
 */
@Path("/it/scheduler")
@RolesAllowed("it-driver")
public class SchedulerResource {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    /** What {@link #enqueueValues} sent, by key, for {@link #values} to compare with what the job received. */
    private final Map<String, ValueJobs.Arguments> sentValues = new ConcurrentHashMap<>();

    // ---- creating jobs ----

    @POST
    @Path("/record/{key}")
    public String enqueue(@PathParam("key") String key) {
        return jobs.enqueue(TestJobs.class, j -> j.record(key));
    }

    /** The name-based enqueue: the body is the JSON array of arguments. */
    @POST
    @Path("/named/{name}")
    public String enqueueNamed(@PathParam("name") String name, List<Object> arguments) {
        return jobs.enqueue(name, arguments.toArray());
    }

    @POST
    @Path("/record-all")
    public List<String> enqueueAll(List<String> keys) {
        return jobs.enqueueAll(TestJobs.class, keys, (j, key) -> j.record(key));
    }

    /** The name-based enqueueAll: the body is one JSON array of arguments per job. */
    @POST
    @Path("/named-all/{name}")
    public List<String> enqueueAllNamed(@PathParam("name") String name, List<List<Object>> argumentLists) {
        return jobs.enqueueAll(name, argumentLists.stream().map(List::toArray).toList());
    }

    /** Schedules {@code record(key)} after {@code delayMillis}, or at {@code at}; by name with {@code byName}. */
    @POST
    @Path("/schedule/{key}")
    public String schedule(@PathParam("key") String key, @QueryParam("delayMillis") Long delayMillis,
            @QueryParam("at") String at, @QueryParam("byName") boolean byName) {
        if ((delayMillis == null) == (at == null)) {
            throw new BadRequestException("give either delayMillis or at");
        }
        if (delayMillis != null) {
            Duration delay = Duration.ofMillis(delayMillis);
            return byName ? jobs.schedule("TestJobs.record", delay, key)
                    : jobs.schedule(TestJobs.class, j -> j.record(key), delay);
        }
        Instant instant = Instant.parse(at);
        return byName ? jobs.schedule("TestJobs.record", instant, key)
                : jobs.schedule(TestJobs.class, j -> j.record(key), instant);
    }

    /** A continuation {@code record(key)} of {@code parentId}; the default option without {@code option}. */
    @POST
    @Path("/continue/{parentId}/{key}")
    public String continueWith(@PathParam("parentId") String parentId, @PathParam("key") String key,
            @QueryParam("option") ContinuationOption option, @QueryParam("byName") boolean byName) {
        if (byName) {
            return jobs.continueWith(parentId, option == null ? ContinuationOption.ON_SUCCEEDED : option, "TestJobs.record",
                    key);
        }
        return option == null ? jobs.continueWith(parentId, TestJobs.class, j -> j.record(key))
                : jobs.continueWith(parentId, TestJobs.class, j -> j.record(key), option);
    }

    @POST
    @Path("/flaky/{key}")
    public String flaky(@PathParam("key") String key, @QueryParam("failures") int failures) {
        return jobs.enqueue(TestJobs.class, j -> j.flaky(key, failures));
    }

    @POST
    @Path("/always-fails/{key}")
    public String alwaysFails(@PathParam("key") String key) {
        return jobs.enqueue(TestJobs.class, j -> j.alwaysFails(key));
    }

    /** A job that fails with no retries, scheduled an hour ahead so that only {@code perform} or a requeue runs it. */
    @POST
    @Path("/fails-once/{key}")
    public String failsOnce(@PathParam("key") String key) {
        return jobs.schedule(TestJobs.class, j -> j.failsOnce(key), Duration.ofHours(1));
    }

    @POST
    @Path("/with-context/{key}")
    public String withContext(@PathParam("key") String key) {
        return jobs.enqueue(TestJobs.class, j -> j.withContext(key, null));
    }

    @POST
    @Path("/report/{title}")
    public String report(@PathParam("title") String title) {
        return jobs.enqueue(DashboardJobs.class, j -> j.report(title, "secret-" + title, null));
    }

    @POST
    @Path("/exclusive/{key}")
    public List<String> exclusive(@PathParam("key") String key, @QueryParam("group") String group,
            @QueryParam("count") int count, @QueryParam("millis") long millis) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(jobs.enqueue(LimitedJobs.class, j -> j.exclusive(key, group, millis)));
        }
        return ids;
    }

    @POST
    @Path("/holds-mutex/{key}")
    public String holdsMutex(@PathParam("key") String key) {
        return jobs.enqueue(LimitedJobs.class, j -> j.holdsMutex(key, null));
    }

    /** Enqueues {@link ValueJobs#receive} with the arguments in the body, kept to compare with what the job receives. */
    @POST
    @Path("/values/{key}")
    public String enqueueValues(@PathParam("key") String key, ValueJobs.Arguments a) {
        sentValues.put(key, a);
        return jobs.enqueue(ValueJobs.class, j -> j.receive(key, a.item(), a.items(), a.instant(), a.date(),
                a.localDateTime(), a.zoned(), a.offset(), a.duration(), a.period(), a.month(), a.zone(), a.optionalItem(),
                a.emptyNote(), a.amount(), a.big(), a.uuid(), a.priority(), a.priorities(), a.totals(), a.lines()));
    }

    /** What {@link ValueJobs#receive} got under {@code key}, the components that differ from what was sent, and its element classes. */
    @GET
    @Path("/values/{key}")
    public Map<String, Object> values(@PathParam("key") String key) {
        List<Object> recorded = executions.values(key);
        if (recorded.size() != 2) {
            throw new NotFoundException("no run of ValueJobs.receive recorded under " + key);
        }
        ValueJobs.Arguments received = (ValueJobs.Arguments) recorded.get(0);
        ValueJobs.Arguments sent = sentValues.get(key);
        List<String> differences = new ArrayList<>();
        for (RecordComponent component : ValueJobs.Arguments.class.getRecordComponents()) {
            try {
                Object before = component.getAccessor().invoke(sent);
                Object after = component.getAccessor().invoke(received);
                if (!Objects.equals(before, after)) {
                    differences.add(component.getName() + ": sent " + before + ", received " + after);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read " + component, e);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("received", received);
        result.put("differences", differences);
        result.put("elementClasses", recorded.get(1));
        return result;
    }

    // ---- acting on jobs ----

    @POST
    @Path("/jobs/{id}/delete")
    public boolean delete(@PathParam("id") String id, @QueryParam("expected") JobState expected) {
        return expected == null ? jobs.delete(id) : jobs.delete(id, expected);
    }

    @POST
    @Path("/jobs/{id}/requeue")
    public boolean requeue(@PathParam("id") String id, @QueryParam("expected") JobState expected) {
        return expected == null ? jobs.requeue(id) : jobs.requeue(id, expected);
    }

    @POST
    @Path("/jobs/{id}/reschedule")
    public boolean reschedule(@PathParam("id") String id, @QueryParam("delayMillis") Long delayMillis,
            @QueryParam("at") String at, @QueryParam("expected") JobState expected) {
        if (delayMillis != null) {
            return jobs.reschedule(id, Duration.ofMillis(delayMillis));
        }
        if (at == null) {
            throw new BadRequestException("give delayMillis or at");
        }
        return expected == null ? jobs.reschedule(id, Instant.parse(at)) : jobs.reschedule(id, Instant.parse(at), expected);
    }

    @POST
    @Path("/jobs/{id}/retry")
    public boolean retry(@PathParam("id") String id) {
        return jobs.retry(id);
    }

    @POST
    @Path("/jobs/{id}/perform")
    public JobState perform(@PathParam("id") String id) {
        return jobs.perform(id);
    }

    /** Sets the expiry to {@code at}, or keeps the job for ever without it. */
    @POST
    @Path("/jobs/{id}/expire")
    public boolean updateExpirationTime(@PathParam("id") String id, @QueryParam("at") String at) {
        return jobs.updateExpirationTime(id, at == null ? null : Instant.parse(at));
    }

    /** Sets a parameter to the JSON body, read as an {@link Item} when {@code type=item}, else as it comes. */
    @PUT
    @Path("/jobs/{id}/parameters/{name}")
    public void setParameter(@PathParam("id") String id, @PathParam("name") String name, @QueryParam("type") String type,
            Map<String, Object> body) {
        Object value = body.get("value");
        if ("item".equals(type) && value instanceof Map<?, ?> map) {
            value = new Item((String) map.get("sku"), ((Number) map.get("quantity")).intValue());
        }
        jobs.setJobParameter(id, name, value);
    }

    @GET
    @Path("/jobs/{id}/parameters/{name}")
    public Map<String, Object> getParameter(@PathParam("id") String id, @PathParam("name") String name,
            @QueryParam("type") String type) {
        Class<?> javaType = switch (type == null ? "string" : type) {
            case "item" -> Item.class;
            case "integer" -> Integer.class;
            case "string" -> String.class;
            default -> throw new BadRequestException("type is item, integer or string, not " + type);
        };
        Optional<?> value = jobs.getJobParameter(id, name, javaType);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("present", value.isPresent());
        result.put("value", value.orElse(null));
        result.put("class", value.map(v -> v.getClass().getName()).orElse(null));
        return result;
    }

    // ---- reading ----

    @GET
    @Path("/jobs/{id}")
    public JobDetails job(@PathParam("id") String id) {
        return jobs.monitor().job(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    @GET
    @Path("/jobs")
    public JobPage page(@QueryParam("state") JobState state, @QueryParam("offset") int offset,
            @QueryParam("limit") int limit) {
        return jobs.monitor().jobs(state, offset, limit);
    }

    @GET
    @Path("/counts")
    public Map<JobState, Long> counts() {
        return jobs.monitor().countsByState();
    }

    @GET
    @Path("/queues")
    public Map<String, Long> queues() {
        return jobs.monitor().enqueuedCountsByQueue();
    }

    @GET
    @Path("/job-names")
    public List<String> jobNames() {
        return jobs.monitor().jobNames();
    }

    @GET
    @Path("/servers")
    public List<ServerInfo> servers() {
        return jobs.monitor().servers();
    }

    @GET
    @Path("/finished-totals")
    public Map<JobState, Long> finishedTotals() {
        return jobs.monitor().finishedTotals();
    }

    @GET
    @Path("/history")
    public List<CountPoint> history(@QueryParam("state") JobState state, @QueryParam("unit") ChronoUnit unit,
            @QueryParam("periods") int periods) {
        return jobs.monitor().history(state, unit, periods);
    }

    /** How many times the test jobs ran under {@code key}, and what they recorded. */
    @GET
    @Path("/executions/{key}")
    public Map<String, Object> executions(@PathParam("key") String key) {
        return Map.of("count", executions.count(key), "values", executions.values(key), "maxOverlap",
                executions.maxOverlap(key));
    }

    // ---- recurring jobs ----

    /** Adds or updates the recurring job {@code id} running {@code record(key)}; by name with {@code byName}. */
    @PUT
    @Path("/recurring/{id}")
    public void addOrUpdateRecurring(@PathParam("id") String id, @QueryParam("key") String key,
            @QueryParam("cron") String cron, @QueryParam("zone") String zone, @QueryParam("queue") String queue,
            @QueryParam("misfire") Misfire misfire, @QueryParam("byName") boolean byName) {
        RecurringOptions options = new RecurringOptions(zone == null ? null : ZoneId.of(zone), queue, misfire);
        if (byName) {
            jobs.recurring().addOrUpdate(id, "TestJobs.record", cron, options, key);
        } else if (zone == null && queue == null && misfire == null) {
            jobs.recurring().addOrUpdate(id, TestJobs.class, j -> j.record(key), cron);
        } else {
            jobs.recurring().addOrUpdate(id, TestJobs.class, j -> j.record(key), cron, options);
        }
    }

    @DELETE
    @Path("/recurring/{id}")
    public boolean removeRecurring(@PathParam("id") String id) {
        return jobs.recurring().removeIfExists(id);
    }

    @POST
    @Path("/recurring/{id}/trigger")
    public String trigger(@PathParam("id") String id) {
        return jobs.recurring().trigger(id);
    }

    @POST
    @Path("/recurring/{id}/pause")
    public void pause(@PathParam("id") String id) {
        jobs.recurring().pause(id);
    }

    @POST
    @Path("/recurring/{id}/resume")
    public void resume(@PathParam("id") String id) {
        jobs.recurring().resume(id);
    }

    @GET
    @Path("/recurring")
    public List<RecurringJobInfo> recurring() {
        return jobs.recurring().list();
    }

    @GET
    @Path("/recurring/{id}")
    public RecurringJobInfo recurringJob(@PathParam("id") String id) {
        return jobs.recurring().get(id).orElseThrow(() -> new NotFoundException("no recurring job " + id));
    }

    // ---- errors as the tests expect them: the exception's class and message ----

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e) {
        return error(Response.Status.NOT_FOUND, e);
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e);
    }

    @ServerExceptionMapper
    public Response conflict(IllegalStateException e) {
        return error(Response.Status.CONFLICT, e);
    }

    private static Response error(Response.Status status, RuntimeException e) {
        return Response.status(status).type("application/json")
                .entity(Map.of("exception", e.getClass().getName(), "message", String.valueOf(e.getMessage()))).build();
    }
}
