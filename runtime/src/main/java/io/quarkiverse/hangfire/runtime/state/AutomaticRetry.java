package io.quarkiverse.hangfire.runtime.state;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.BackgroundJob.RetriesExhausted;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.crypto.ArgumentDecryptionException;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.storage.JobCriteria;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.RetryCount;

/**
 * Decides what a failed attempt leads to: a retry after a delay (recorded as Failed, then Scheduled, as
 * Hangfire does), or the end state of the job's retry policy.
 */
@Singleton
public class AutomaticRetry {

    private static final int MAX_STACK_TRACE = 16_000;

    @Inject
    HangfireConfig config;

    /**
     * @param method the job method, or null when this application does not know the stored job name
     */
    public Transition onFailure(JobRow job, JobMethod method, Throwable failure, Instant now) {
        Map<String, String> exception = describe(failure);
        JobMethod.RetryPolicy policy = method == null ? null : method.retryPolicy();
        int maxRetries = policy == null || policy.maxRetries() < 0 ? config.retry().maxRetries() : policy.maxRetries();
        int retry = job.retryCount() + 1;
        String message = shortMessage(failure);
        if (retry <= maxRetries && isRetried(policy, failure)) {
            long delayMillis = delayMillis(policy, retry);
            String reason = JobCriteria.RETRY_REASON_PREFIX + retry + " of " + maxRetries + ": " + message;
            Transition next = delayMillis <= 0 ? Transition.to(job, JobState.ENQUEUED, reason)
                    : Transition.toScheduled(job, now.plusMillis(delayMillis), reason);
            return next.withRetryCount(RetryCount.INCREMENT)
                    .through(JobState.FAILED, "An exception occurred during performance of the job", exception);
        }
        String reason = failure instanceof ArgumentDecryptionException d && !d.retryable()
                ? "Not retried, as no retry can decrypt it: " + message
                : !isRetried(policy, failure) ? "The exception is not retried by the job's retry policy: " + message
                : maxRetries == 0 ? "Retries are disabled for this job: " + message
                        : "Exceeded the maximum number of retry attempts (" + maxRetries + "): " + message;
        JobState end = policy != null && policy.onExhausted() == RetriesExhausted.DELETE ? JobState.DELETED
                : JobState.FAILED;
        return Transition.to(job, end, reason).withData(exception);
    }

    private static boolean isRetried(JobMethod.RetryPolicy policy, Throwable failure) {
        if (failure instanceof ArgumentDecryptionException e && !e.retryable()) {
            return false;
        }
        if (policy == null) {
            return true;
        }
        if (!policy.retryOn().isEmpty() && policy.retryOn().stream().noneMatch(type -> type.isInstance(failure))) {
            return false;
        }
        return policy.noRetryOn().stream().noneMatch(type -> type.isInstance(failure));
    }

    private long delayMillis(JobMethod.RetryPolicy policy, int retry) {
        List<Long> fixed = policy != null && !policy.delays().isEmpty() ? policy.delays()
                : config.retry().delays().map(list -> list.stream().map(Duration::toMillis).toList()).orElse(List.of());
        if (!fixed.isEmpty()) {
            return fixed.get(Math.min(retry, fixed.size()) - 1);
        }
        // Hangfire's formula: (n-1)^4 + 15 + random(0..29) * n seconds
        long n = retry;
        return ((n - 1) * (n - 1) * (n - 1) * (n - 1) + 15 + ThreadLocalRandom.current().nextInt(30) * n) * 1000L;
    }

    /** What the Failed state records about an exception. */
    public static Map<String, String> describe(Throwable failure) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("exceptionType", failure.getClass().getName());
        data.put("exceptionMessage", String.valueOf(failure.getMessage()));
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String text = trace.toString();
        data.put("stackTrace", text.length() > MAX_STACK_TRACE ? text.substring(0, MAX_STACK_TRACE) + "\n\t..." : text);
        return data;
    }

    private static String shortMessage(Throwable failure) {
        String text = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        return text.length() > 200 ? text.substring(0, 199) + "…" : text;
    }
}
