package io.quarkiverse.hangfire.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.quarkiverse.hangfire.JobOptions;
import io.quarkiverse.hangfire.runtime.registry.EncodedCall;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobStore.NewJobRow;
import io.quarkiverse.hangfire.runtime.storage.UniqueKeys;

/**
 * What one creation uses of {@link JobOptions} and of the job's declaration: the options override the declaration.
 * Checked here, before any transaction, so that bad options store nothing.
 *
 * @param unique the unique key and how it is held, or null
 * @param deadline when the job, not started by then, is deleted; or null
 */
public record CreationOptions(String queue, int priority, Map<String, Object> parameters, UniqueKeys.Hold unique,
        Instant deadline) {

    /** The flow control columns of the job row these options create. */
    public NewJobRow.Flow rowFlow() {
        return new NewJobRow.Flow(priority, deadline, unique == null ? null : unique.key());
    }

    /** Whether this creation is a plain one: no parameters, no unique key. */
    public boolean plain() {
        return parameters.isEmpty() && unique == null;
    }

    /**
     * The options of one call of {@code job}, due at {@code due} (now, or its scheduled time).
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static CreationOptions of(EncodedCall job, JobOptions options, Instant due) {
        JobOptions o = options == null ? JobOptions.none() : options;
        JobMethod method = job.method();
        JobMethod.Flow flow = method.flow() == null ? JobMethod.Flow.NONE : method.flow();
        String queue = o.queue() == null ? method.queue() : o.queue();
        if (!JobMethod.QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("JobOptions.queue '" + queue + "' is not a queue name: queue names are 1 to"
                    + " 50 lower case letters, digits, '_' or '-'");
        }
        int priority = o.priority() == null ? flow.priority() : o.priority();
        if (priority < JobOptions.MIN_PRIORITY || priority > JobOptions.MAX_PRIORITY) {
            throw new IllegalArgumentException("JobOptions.priority " + priority + " is out of range: use "
                    + JobOptions.MIN_PRIORITY + " to " + JobOptions.MAX_PRIORITY);
        }
        String key = o.uniqueKey() != null ? o.uniqueKey() : flow.unique() == null ? null : flow.unique().key(job.arguments());
        UniqueKeys.Hold unique = null;
        if (key != null) {
            if (key.isEmpty() || key.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("JobOptions.unique: a unique key is not empty and has no control"
                        + " characters");
            }
            Duration after = o.uniqueAfterFinish() != null ? o.uniqueAfterFinish() : flow.uniqueAfterFinish();
            if (after.isNegative()) {
                throw new IllegalArgumentException("JobOptions.uniqueAfterFinish " + after + " is negative");
            }
            unique = new UniqueKeys.Hold(key, o.uniqueWhileProcessing() != null ? o.uniqueWhileProcessing()
                    : flow.uniqueWhileProcessing(), after);
        } else if (o.uniqueWhileProcessing() != null || o.uniqueAfterFinish() != null) {
            throw new IllegalArgumentException("JobOptions.uniqueWhileProcessing and uniqueAfterFinish need a unique key:"
                    + " set JobOptions.unique or @BackgroundJob(unique = ...)");
        }
        Instant deadline = o.deadline() != null ? JobClock.storable(o.deadline(), "deadline")
                : flow.deadline() == null ? null : JobClock.storable(due.plus(flow.deadline()), "deadline");
        return new CreationOptions(queue, priority, o.parameters(), unique, deadline);
    }
}
