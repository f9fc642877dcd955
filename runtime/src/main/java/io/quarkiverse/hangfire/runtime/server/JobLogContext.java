package io.quarkiverse.hangfire.runtime.server;

import org.jboss.logging.MDC;

import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobRow;

/**
 * Puts the running job into the logging MDC ({@code jobId}, {@code jobName}, {@code queue}, {@code attempt}), so
 * that every line logged during the attempt says which job wrote it (Quarkus's {@code %X} format, JSON logging).
 * {@link #close()} puts back what the thread had before: a job run by {@code JobScheduler.perform} on the caller's
 * thread leaves the caller's MDC as it found it, and a worker's next job starts clean.
 */
final class JobLogContext implements AutoCloseable {

    static final String JOB_ID = "jobId";
    static final String JOB_NAME = "jobName";
    static final String QUEUE = "queue";
    static final String ATTEMPT = "attempt";

    private final Object[] previous = new Object[4];

    private JobLogContext(JobRow job) {
        previous[0] = swap(JOB_ID, JobId.format(job.id()));
        previous[1] = swap(JOB_NAME, job.jobName());
        previous[2] = swap(QUEUE, job.queue());
        previous[3] = swap(ATTEMPT, Integer.toString(job.attempt()));
    }

    static JobLogContext of(JobRow job) {
        return new JobLogContext(job);
    }

    @Override
    public void close() {
        restore(JOB_ID, previous[0]);
        restore(JOB_NAME, previous[1]);
        restore(QUEUE, previous[2]);
        restore(ATTEMPT, previous[3]);
    }

    private static Object swap(String key, String value) {
        return MDC.put(key, value);
    }

    private static void restore(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
