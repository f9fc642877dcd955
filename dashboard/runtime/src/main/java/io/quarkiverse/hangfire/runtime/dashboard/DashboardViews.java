package io.quarkiverse.hangfire.runtime.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;

/**
 * The JSON the dashboard's API answers with and accepts. Values that may hold secrets are redacted before they
 * get here (see {@link Redaction}); the web UI renders every value as text. Stored text is cut to a bounded
 * prefix (see {@link ShownText}): each object's {@code truncated} map names its cut fields, with the stored
 * length in characters (null when unknown), and is left out when nothing was cut.
 */
public final class DashboardViews {

    private DashboardViews() {
    }

    /** Who is looking, and what the UI needs to know before its first list. */
    public record Me(String user, boolean readOnly, String path, List<String> jobNames, List<String> queues,
            String csrfHeader, String csrfCookie) {
    }

    /**
     * @param states the jobs stored now, per state
     * @param totals the all-time counts of Succeeded, Failed and Deleted, which keep growing after jobs expire
     */
    /** @param retriesCapped whether the retries were counted up to a cap only: there are more than {@code retries} */
    public record Stats(Map<JobState, Long> states, Map<JobState, Long> totals, long retries, boolean retriesCapped,
            long recurring, long servers, Instant now) {
    }

    public record HistoryPoint(Instant start, @JsonProperty("SUCCEEDED") long succeeded, @JsonProperty("FAILED") long failed,
            @JsonProperty("DELETED") long deleted) {
    }

    public record History(String unit, List<HistoryPoint> points) {
    }

    /** @param arguments the arguments as short JSON text, redacted */
    public record JobItem(String id, String jobName, String queue, JobState state, String stateReason, int attempt,
            Instant createdAt, Instant stateChangedAt, Instant scheduledAt, String arguments,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated) {
    }

    /**
     * A page of a job list.
     *
     * @param totalCapped whether there may be more than {@code total}: it was counted up to a cap, or within a window
     * @param maxOffset the furthest offset a page may start at: pages stop there, so that no page costs more
     * @param window what a list narrowed by job name or queue looked through; absent when not narrowed so
     * @param search what a text search looked through; absent without a text
     */
    public record JobList(List<JobItem> jobs, long total, boolean totalCapped, int offset, int limit, int maxOffset,
            @JsonInclude(JsonInclude.Include.NON_NULL) ListWindow window,
            @JsonInclude(JsonInclude.Include.NON_NULL) SearchScope search) {
    }

    /**
     * A list narrowed by job name or queue (or to the retries) looks through the newest jobs of its state only (of all
     * jobs without a state), since no index orders the jobs of a name or a queue.
     *
     * @param newest the most jobs looked through
     * @param olderLeftOut whether the state holds older jobs, which were not looked at
     */
    public record ListWindow(int newest, boolean olderLeftOut) {
    }

    /**
     * A text search looks through the newest jobs of the list's state (of all jobs without a state) only, and finds a
     * text in what the dashboard shows of them (arguments, reason, exception), never in hidden values.
     *
     * @param window the most jobs searched
     * @param olderNotSearched whether older jobs of the state were left out
     */
    public record SearchScope(String text, int window, boolean olderNotSearched) {
    }

    /** @param name the method parameter's name, null when this application does not know the job */
    public record Argument(String name, String value, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated) {
    }

    public record HistoryEntry(JobState state, String reason, Instant createdAt, Map<String, String> data,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated) {
    }

    public record ExceptionInfo(String type, String message, String stackTrace,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated) {
    }

    public record Related(String id, String jobName, JobState state, String option) {
    }

    public record LogLine(Instant time, int attempt, String line,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated) {
    }

    /**
     * @param argumentsHidden why no argument is shown (a job this application does not know), or null
     * @param history the newest states, at most {@value DashboardQueries#HISTORY}
     * @param historyTotal how many states the job has
     */
    public record JobView(String id, String jobName, String queue, JobState state, String stateReason, int attempt,
            Instant createdAt, Instant stateChangedAt, Instant scheduledAt, Instant expireAt, List<Argument> arguments,
            @JsonInclude(JsonInclude.Include.NON_NULL) String argumentsHidden,
            Map<String, String> parameters, List<HistoryEntry> history, long historyTotal, ExceptionInfo exception,
            Related parent, List<Related> continuations, Integer progress, List<LogLine> log,
            @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated, int priority,
            @JsonInclude(JsonInclude.Include.NON_NULL) String uniqueKey,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant deadline) {
    }

    /** @param pause who paused the queue, when and until when; null when it is not paused */
    public record QueueView(String name, long enqueued, long processing, List<JobItem> next,
            @JsonInclude(JsonInclude.Include.NON_NULL) QueuePauseView pause) {
    }

    /** @param until when the pause lifts itself, or null */
    public record QueuePauseView(String pausedBy, Instant pausedAt, Instant until) {
    }

    /**
     * A rate limit and its use: jobs over it wait in their queues.
     *
     * @param starts how many starts its window holds now
     * @param rate its rate, as configured ({@code 100/PT1M})
     */
    public record RateLimitView(String name, int starts, String rate) {
    }

    /** @param until when the pause lifts itself (ISO-8601 instant), or null for a pause until resumed */
    public record QueuePauseAction(String until) {
    }

    /** @param argumentsHidden why no argument is shown (a job this application does not know), or null */
    public record RecurringView(String id, String jobName, List<Argument> arguments,
            @JsonInclude(JsonInclude.Include.NON_NULL) String argumentsHidden, String cron, String zone, String queue,
            Misfire misfire, boolean paused, Instant nextExecution, Instant lastExecution, String lastJobId,
            JobState lastJobState, String error, Instant createdAt,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> truncated) {
    }

    public record ServerView(String id, List<String> queues, int workers, Instant startedAt, Instant lastHeartbeat) {
    }

    /** @param expectedState the state the jobs must be in to be changed; null for any */
    public record JobAction(List<String> ids, JobState expectedState) {
    }

    public record SingleAction(JobState expectedState) {
    }

    public record BulkResult(List<String> changed, List<String> skipped) {
    }

    public record Changed(boolean changed) {
    }

    public record RecurringAction(List<String> ids) {
    }

    public record TriggerResult(Map<String, String> triggered, List<String> skipped) {
    }

    public record Error(String error, JobState state) {
    }

    /** A batch as listed: its progress from the batch's counters. */
    public record BatchItem(String id, String description, io.quarkiverse.hangfire.BatchState state, String parentBatchId,
            int total, int succeeded, int deleted, int failed, int percentDone, String awaitedBatchId,
            io.quarkiverse.hangfire.ContinuationOption continuationOption, Instant createdAt, Instant stateChangedAt) {

        static BatchItem of(io.quarkiverse.hangfire.BatchInfo b) {
            return new BatchItem(b.id(), b.description(), b.state(), b.parentBatchId(), b.total(), b.succeeded(), b.deleted(),
                    b.failed(), b.percentDone(), b.awaitedBatchId(), b.continuationOption(), b.createdAt(),
                    b.stateChangedAt());
        }
    }

    public record BatchList(List<BatchItem> batches, int offset, int limit) {
    }

    /** A job of a batch as listed there: no reason or data, which may hold a job's secrets. */
    public record BatchJob(String id, String jobName, JobState state, Instant stateChangedAt) {
    }

    /**
     * One batch: its jobs by state (the first {@code perState} of each, oldest first), the batches nested in it, the
     * continuation batches and jobs that wait for it.
     */
    public record BatchView(BatchItem batch, List<BatchItem> nested, List<BatchItem> continuations,
            List<BatchJob> continuationJobs, Map<JobState, List<BatchJob>> jobs, int perState) {
    }

    public record BatchActionResult(int jobs) {
    }
}
