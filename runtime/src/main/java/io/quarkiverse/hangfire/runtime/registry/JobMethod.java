package io.quarkiverse.hangfire.runtime.registry;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JavaType;

import io.quarkiverse.hangfire.BackgroundJob.RetriesExhausted;
import jakarta.enterprise.invoke.Invoker;

/**
 * A {@link io.quarkiverse.hangfire.BackgroundJob} method as found at build time: its name, where it lives,
 * its stored parameters, its policies, and the invoker generated for it.
 *
 * @param parameterTypes the type of each parameter, {@code null} at {@link #contextIndex()}
 * @param contextIndex the position of the {@code JobContext} parameter, or -1
 * @param timeout the longest an attempt may run, or null
 * @param mutex the mutual exclusion key, or null
 * @param concurrency the most runs at once across all servers, 0 for no limit
 * @param sensitiveArguments the positions among the stored arguments of the {@code @Sensitive} parameters, ascending
 * @param transactional {@code @BackgroundJob(transactional)} as written, or null when not written (configuration decides)
 */
public record JobMethod(String name, String className, String methodName, String queue, List<String> parameterNames,
        List<JavaType> parameterTypes, int contextIndex, RetryPolicy retryPolicy, Duration timeout, MutexTemplate mutex,
        int concurrency, Invoker<Object, Object> invoker, List<Integer> sensitiveArguments, Boolean transactional) {

    /** Whether its attempts run in a transaction: as written, or else as {@code byDefault} says. */
    public boolean transactional(boolean byDefault) {
        return transactional == null ? byDefault : transactional;
    }

    /** What a queue name may be: lower case letters, digits, '_' and '-', at most 50 (the column's width). */
    public static final java.util.regex.Pattern QUEUE_NAME = java.util.regex.Pattern.compile("[a-z0-9_-]{1,50}");

    /** The number of arguments a caller passes: the parameters less the {@code JobContext}. */
    public int storedArgumentCount() {
        return contextIndex < 0 ? parameterTypes.size() : parameterTypes.size() - 1;
    }

    /** Whether the stored argument at {@code position} is encrypted. */
    public boolean isSensitive(int position) {
        return sensitiveArguments.contains(position);
    }

    /** "ReportJobs.generate(long customerId, YearMonth month)", for messages. */
    public String signature() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < parameterTypes.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(i == contextIndex ? "JobContext" : parameterTypes.get(i).toCanonical().replaceAll("([a-z0-9_]+\\.)+", ""))
                    .append(' ').append(parameterNames.get(i));
        }
        return sb.append(')').toString();
    }

    /**
     * How a job's failures are retried.
     *
     * @param maxRetries the retries allowed, or -1 for the configured default
     * @param delays fixed delays in milliseconds, empty for the configured default
     */
    public record RetryPolicy(int maxRetries, List<Long> delays, List<Class<?>> retryOn, List<Class<?>> noRetryOn,
            RetriesExhausted onExhausted) {
    }

}
