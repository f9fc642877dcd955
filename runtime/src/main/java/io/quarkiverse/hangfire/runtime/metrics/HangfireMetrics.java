package io.quarkiverse.hangfire.runtime.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobFilter;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.monitoring.BacklogSnapshot;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.server.JobPerformer;
import io.quarkiverse.hangfire.runtime.server.ServerLifecycle;
import io.quarkiverse.hangfire.runtime.server.ServerStatus;
import io.quarkiverse.hangfire.runtime.state.StateChanges;
import io.quarkiverse.hangfire.runtime.state.StateListener;
import io.quarkiverse.hangfire.runtime.state.Transition;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkus.runtime.StartupEvent;

/**
 * The Micrometer meters, a bean only when the application has quarkus-micrometer. Counters count the state changes
 * this instance committed (summed over instances, they are the cluster's); the execution timer wraps each attempt as
 * the innermost job filter; the gauges read the one cached {@link BacklogSnapshot} (the whole cluster's backlog) or
 * this instance's server. Tags come from bounded sets: job names and queues known to this application, anything
 * else counted as {@code unknown}/{@code other}. The counters and timers are built once per name and tag set and kept
 * (a registry lookup per event would cost a meter id and a map look-up each); the tag sets being bounded, so is the
 * cache, and {@link #MAX_CACHED} caps it anyway.
 */
// application-scoped: its client proxy breaks the cycle state machine -> listeners -> this -> monitor -> state machine
@ApplicationScoped
@Priority(Integer.MAX_VALUE)
public class HangfireMetrics implements StateListener, JobFilter {

    static final String UNKNOWN_JOB = "unknown";
    static final String OTHER_QUEUE = "other";
    /** The states that have a gauge; the final ones grow without bound and are counted instead. */
    static final Set<JobState> GAUGED_STATES = Set.of(JobState.ENQUEUED, JobState.SCHEDULED, JobState.AWAITING,
            JobState.PROCESSING, JobState.FAILED);

    /** The most meters kept; past it (which bounded tags should never reach) meters are looked up per event. */
    static final int MAX_CACHED = 10_000;

    @Inject
    MeterRegistry registry;

    /** The counters and timers by name and tag values. */
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    @Inject
    BacklogSnapshot backlog;

    @Inject
    ServerLifecycle server;

    @Inject
    HangfireConfig config;

    /** When the attempt on this thread started (onPerforming and onPerformed run on the worker's thread). */
    private final ThreadLocal<long[]> attemptStart = ThreadLocal.withInitial(() -> new long[1]);
    private volatile Set<String> knownQueues = Set.of();

    void registerGauges(@Observes StartupEvent event) {
        Set<String> queues = new TreeSet<>(config.queue().keySet());
        config.server().queues().forEach(queues::add);
        for (String name : JobRegistry.names()) {
            JobMethod method = JobRegistry.find(name);
            if (method != null) {
                queues.add(method.queue());
            }
        }
        knownQueues = Set.copyOf(queues);
        for (String queue : queues) {
            gauge("hangfire.queue.enqueued", "Jobs waiting in the queue (not claimed), in the whole cluster",
                    s -> s.queues().containsKey(queue) ? s.queues().get(queue).enqueued() : 0, "queue", queue, null);
            gauge("hangfire.queue.oldest.age", "How long the oldest job waiting in the queue has waited",
                    s -> s.queues().containsKey(queue) ? s.queues().get(queue).oldestAge(s.takenAt()).toMillis() / 1000.0 : 0,
                    "queue", queue, "seconds");
        }
        for (JobState state : GAUGED_STATES) {
            gauge("hangfire.jobs.current", "Jobs in this state now, in the whole cluster",
                    s -> s.byState().getOrDefault(state, 0L), "state", state.name().toLowerCase(Locale.ROOT), null);
        }
        gauge("hangfire.servers.live", "Servers with a live registration", s -> s.liveServers(), null, null, null);
        gauge("hangfire.recurring.lateness", "How long the most overdue occurrence of a recurring job (not paused) has"
                + " been due without being created; zero when none is due", s -> s.recurringLateness().toMillis() / 1000.0,
                null, null, "seconds");
        Gauge.builder("hangfire.workers.busy", server, lifecycle -> lifecycle.status().map(ServerStatus::busyWorkers)
                .map(Integer::doubleValue).orElse(0.0)).description("Workers of this instance running a job").register(registry);
        Gauge.builder("hangfire.workers", server, lifecycle -> lifecycle.status().map(ServerStatus::workers)
                .map(Integer::doubleValue).orElse(0.0)).description("Workers of this instance").register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<BacklogSnapshot.Snapshot> value, String tag,
            String tagValue, String unit) {
        Gauge.Builder<BacklogSnapshot> builder = Gauge.builder(name, backlog, b -> {
            try {
                return value.applyAsDouble(b.current());
            } catch (RuntimeException e) {
                // no snapshot yet and the database does not answer
                return Double.NaN;
            }
        }).description(description);
        if (tag != null) {
            builder.tag(tag, tagValue);
        }
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }

    @Override
    public void committed(StateChanges changes) {
        for (Transition t : changes.created()) {
            count("hangfire.jobs.created", "Jobs created", t);
        }
        for (Transition t : changes.changed()) {
            if (t.to() == JobState.SUCCEEDED) {
                count("hangfire.jobs.succeeded", "Jobs that succeeded", t);
            } else if (t.to() == JobState.FAILED) {
                count("hangfire.jobs.failed", "Jobs that failed and were not retried", t);
            } else if (t.to() == JobState.DELETED) {
                count("hangfire.jobs.deleted", "Jobs deleted", t);
            }
            if (t.traversed() != null && t.traversed().state() == JobState.FAILED && t.to() != JobState.FAILED) {
                count("hangfire.jobs.retried", "Failed attempts that were retried", t);
            }
        }
    }

    private void count(String name, String description, Transition t) {
        String job = jobTag(t.job().jobName());
        String queue = queueTag(t.job().queue());
        ((Counter) meter(List.of(name, job, queue), key -> Counter.builder(name).description(description)
                .tag("job", job).tag("queue", queue).register(registry))).increment();
    }

    /**
     * The pickup latency of every attempt, recorded as it starts: from its job's enqueue (the commit) or its last
     * requeue or retry to now.
     */
    @Override
    public void onPerforming(JobContext job) {
        attemptStart.get()[0] = System.nanoTime();
        JobPerformer.enqueuedAt(job).ifPresent(enqueuedAt -> {
            Duration waited = Duration.between(enqueuedAt, JobClock.now());
            String queue = queueTag(job.queue());
            ((Timer) meter(List.of("hangfire.job.pickup.latency", queue), key -> Timer.builder("hangfire.job.pickup.latency")
                    .description("From the job's enqueue (its commit) to the start of each of its attempts")
                    .tag("queue", queue).publishPercentileHistogram().register(registry)))
                    .record(waited.isNegative() ? Duration.ZERO : waited);
        });
    }

    @Override
    public void onPerformed(JobContext job, Throwable failure) {
        long started = attemptStart.get()[0];
        String jobTag = jobTag(job.jobName());
        String outcome = failure == null ? "succeeded" : "failed";
        ((Timer) meter(List.of("hangfire.job.execution", jobTag, outcome), key -> Timer.builder("hangfire.job.execution")
                .description("How long the attempts of a job ran").tag("job", jobTag).tag("outcome", outcome)
                .publishPercentileHistogram().register(registry))).record(Duration.ofNanos(System.nanoTime() - started));
    }

    /** The meter of {@code key} (its name, then its tag values), built by {@code build} the first time. */
    private Meter meter(List<String> key, Function<List<String>, Meter> build) {
        Meter cached = meters.get(key);
        if (cached != null) {
            return cached;
        }
        return meters.size() < MAX_CACHED ? meters.computeIfAbsent(key, build) : build.apply(key);
    }

    /** How many counters and timers are cached (a test checks that repeated events add none). */
    public int cachedMeters() {
        return meters.size();
    }

    private static String jobTag(String name) {
        return JobRegistry.find(name) != null ? name : UNKNOWN_JOB;
    }

    private String queueTag(String queue) {
        return knownQueues.contains(queue) ? queue : OTHER_QUEUE;
    }
}
