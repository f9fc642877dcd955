package io.quarkiverse.hangfire;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one call creates its job, overriding what the job's {@link BackgroundJob} declares: the queue, the priority,
 * parameters set at creation, a uniqueness key and a deadline. Immutable: every method returns a copy with one more
 * option set. {@code jobs.enqueue(Reports.class, r -> r.sync(id), JobOptions.none().priority(10).unique("sync-" + id))}
 */
public final class JobOptions {

    /** The lowest and highest priority. */
    public static final int MIN_PRIORITY = -1000, MAX_PRIORITY = 1000;

    private static final JobOptions NONE = new JobOptions(null, null, Map.of(), null, null, null, null);

    private final String queue;
    private final Integer priority;
    private final Map<String, Object> parameters;
    private final String uniqueKey;
    private final Boolean uniqueWhileProcessing;
    private final Duration uniqueAfterFinish;
    private final Instant deadline;

    private JobOptions(String queue, Integer priority, Map<String, Object> parameters, String uniqueKey,
            Boolean uniqueWhileProcessing, Duration uniqueAfterFinish, Instant deadline) {
        this.queue = queue;
        this.priority = priority;
        this.parameters = parameters;
        this.uniqueKey = uniqueKey;
        this.uniqueWhileProcessing = uniqueWhileProcessing;
        this.uniqueAfterFinish = uniqueAfterFinish;
        this.deadline = deadline;
    }

    /** No option set: the job's declaration decides everything. */
    public static JobOptions none() {
        return NONE;
    }

    /** The queue the job waits in, instead of its declared one (lower case letters, digits, '_' and '-'). */
    public JobOptions queue(String queue) {
        return new JobOptions(Objects.requireNonNull(queue, "queue"), priority, parameters, uniqueKey, uniqueWhileProcessing,
                uniqueAfterFinish, deadline);
    }

    /** The priority within its queue, from {@link #MIN_PRIORITY} to {@link #MAX_PRIORITY}: higher starts first. */
    public JobOptions priority(int priority) {
        return new JobOptions(queue, priority, parameters, uniqueKey, uniqueWhileProcessing, uniqueAfterFinish, deadline);
    }

    /** A job parameter stored with the job at creation, as {@link JobScheduler#setJobParameter} would. */
    public JobOptions parameter(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        copy.put(Objects.requireNonNull(name, "name"), value);
        return new JobOptions(queue, priority, Collections.unmodifiableMap(copy), uniqueKey, uniqueWhileProcessing,
                uniqueAfterFinish, deadline);
    }

    /**
     * A uniqueness key (at most 200 characters, taken as it is): while a job with this key is Enqueued, Scheduled or
     * Awaiting, the call creates nothing and returns that job's id. Overrides {@link BackgroundJob#unique()}.
     */
    public JobOptions unique(String key) {
        return new JobOptions(queue, priority, parameters, Objects.requireNonNull(key, "key"), uniqueWhileProcessing,
                uniqueAfterFinish, deadline);
    }

    /** Whether the unique key is kept while the job is Processing too. */
    public JobOptions uniqueWhileProcessing(boolean keep) {
        return new JobOptions(queue, priority, parameters, uniqueKey, keep, uniqueAfterFinish, deadline);
    }

    /** How long the unique key is kept after the job finished; zero: freed at once. */
    public JobOptions uniqueAfterFinish(Duration period) {
        return new JobOptions(queue, priority, parameters, uniqueKey, uniqueWhileProcessing,
                Objects.requireNonNull(period, "period"), deadline);
    }

    /** The instant by which the job must have started; otherwise it is deleted with a reason naming the deadline. */
    public JobOptions deadline(Instant deadline) {
        return new JobOptions(queue, priority, parameters, uniqueKey, uniqueWhileProcessing, uniqueAfterFinish,
                Objects.requireNonNull(deadline, "deadline"));
    }

    /** The queue set, or null to use the job's. */
    public String queue() {
        return queue;
    }

    /** The priority set, or null to use the job's. */
    public Integer priority() {
        return priority;
    }

    /** The parameters set, by name, in the order set. */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /** The unique key set, or null to use the job's. */
    public String uniqueKey() {
        return uniqueKey;
    }

    /** Whether the unique key is kept while Processing, or null to use the job's. */
    public Boolean uniqueWhileProcessing() {
        return uniqueWhileProcessing;
    }

    /** How long the unique key is kept after finishing, or null to use the job's. */
    public Duration uniqueAfterFinish() {
        return uniqueAfterFinish;
    }

    /** The deadline set, or null to use the job's. */
    public Instant deadline() {
        return deadline;
    }

    @Override
    public String toString() {
        return "JobOptions[queue=" + queue + ", priority=" + priority + ", parameters=" + parameters.keySet() + ", unique="
                + uniqueKey + ", deadline=" + deadline + "]";
    }
}
