package io.quarkiverse.hangfire.runtime;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.BatchInfo;
import io.quarkiverse.hangfire.BatchState;
import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobPage;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobSummary;
import io.quarkiverse.hangfire.ServerInfo;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.storage.BatchStore;
import io.quarkiverse.hangfire.runtime.storage.BatchStore.BatchRow;
import io.quarkiverse.hangfire.runtime.storage.CountReads;
import io.quarkiverse.hangfire.runtime.storage.JobCriteria;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobReads;
import io.quarkiverse.hangfire.runtime.storage.QueueReads;
import io.quarkiverse.hangfire.runtime.storage.ServerReads;
import io.quarkiverse.hangfire.runtime.storage.Statistics;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobStateEntity;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/**
 * The monitoring API: checks what callers ask for and reads through the shared read model ({@link JobReads},
 * {@link CountReads}, {@link QueueReads}, {@link ServerReads}), which the dashboard and the Dev UI read through too.
 */
@Singleton
public class HangfireJobMonitor implements JobMonitor {

    private static final int MAX_PAGE = 1000;

    @Inject
    Transactions storage;

    @Inject
    HangfireConfig config;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.QueuePauses pauses;

    @Override
    public Map<JobState, Long> countsByState() {
        return storage.read(CountReads::byState);
    }

    @Override
    public Map<String, Long> enqueuedCountsByQueue() {
        return storage.read(QueueReads::enqueuedByQueue);
    }

    @Override
    public JobPage jobs(JobState state, int offset, int limit) {
        if (state == null) {
            throw new IllegalArgumentException("'state' must not be null");
        }
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("offset must be >= 0 and limit between 1 and " + MAX_PAGE + ", got offset "
                    + offset + " and limit " + limit);
        }
        JobCriteria filter = JobCriteria.inState(state);
        return storage.read(session -> {
            // from the counters: a read per state, whatever the number of jobs stored
            long total = CountReads.byState(session).get(state);
            List<JobSummary> jobs = JobReads.listed(session, JobReads.ids(session, filter, offset, limit), 0, 0).stream()
                    .map(j -> new JobSummary(JobId.format(j.id()), j.jobName(), j.queue(), j.state(), j.stateReason(),
                            j.attempt(), j.createdAt(), j.stateChangedAt(), j.scheduledAt()))
                    .toList();
            return new JobPage(jobs, total, offset, limit);
        });
    }

    @Override
    public Optional<JobDetails> job(String jobId) {
        long id = JobId.parse(jobId);
        return storage.read(session -> {
            JobEntity job = JobReads.entity(session, id);
            if (job == null) {
                return Optional.empty();
            }
            Map<String, String> parameters = JobReads.parameters(session, id);
            List<StateRecord> history = JobReads.states(session, id).stream().map(HangfireJobMonitor::record).toList();
            return Optional.of(new JobDetails(JobId.format(job.getId()), job.getJobName(), job.getQueue(),
                    JobArguments.split(job.getJobName(), job.getArguments()), JobState.valueOf(job.getState()), job.getStateReason(),
                    job.getAttempt(), fromDb(job.getCreatedAt()), fromDb(job.getStateChangedAt()),
                    fromDb(job.getScheduledAt()), fromDb(job.getExpireAt()),
                    job.getParentId() == null ? null : job.getParentId().toString(),
                    job.getContinuationOption() == null ? null : ContinuationOption.valueOf(job.getContinuationOption()),
                    parameters, history, -job.getPriority(), job.getUniqueKey(), fromDb(job.getDeadline()),
                    job.getBatchId() == null ? null : JobId.format(job.getBatchId())));
        });
    }

    @Override
    public List<io.quarkiverse.hangfire.QueuePause> pausedQueues() {
        return pauses.list();
    }

    @Override
    public List<String> jobNames() {
        return JobRegistry.names();
    }

    @Override
    public List<ServerInfo> servers() {
        return storage.read(session -> ServerReads.alive(session, config.server().leaseTimeout()));
    }

    @Override
    public Map<JobState, Long> finishedTotals() {
        return storage.read(CountReads::finishedTotals);
    }

    @Override
    public List<CountPoint> history(JobState state, ChronoUnit unit, int periods) {
        if (!Statistics.COUNTED.contains(state)) {
            throw new IllegalArgumentException("Statistics are kept for " + Statistics.COUNTED + ", not " + state);
        }
        int max = unit == ChronoUnit.HOURS ? 48 : unit == ChronoUnit.DAYS ? 31 : 0;
        if (max == 0) {
            throw new IllegalArgumentException("Statistics are kept per HOURS or DAYS, not " + unit);
        }
        if (periods < 1 || periods > max) {
            throw new IllegalArgumentException("periods must be between 1 and " + max + " for " + unit + ", got " + periods);
        }
        return storage.read(session -> CountReads.history(session, state, unit, periods));
    }

    /** The job's current state; a {@link JobNotFoundException} when there is no such job. */
    public JobState state(String jobId) {
        long id = JobId.parse(jobId);
        return storage.read(session -> JobReads.state(session, id)).orElseThrow(() -> new JobNotFoundException(jobId));
    }

    @SuppressWarnings("unchecked")
    private static StateRecord record(JobStateEntity s) {
        Map<String, String> data = s.getData() == null ? Map.of() : JobArguments.fromJson(s.getData(), Map.class);
        return new StateRecord(JobState.valueOf(s.getState()), s.getReason(), fromDb(s.getCreatedAt()), data);
    }

    // ---- batches ----

    @Inject
    BatchStore batches;

    @Override
    public Optional<BatchInfo> batch(String batchId) {
        long id = JobId.parse(batchId, "batchId");
        return Optional.ofNullable(storage.inTransaction(c -> batches.read(c, id))).map(HangfireJobMonitor::info);
    }

    @Override
    public List<BatchInfo> batches(BatchState state, int offset, int limit) {
        checkPage(offset, limit);
        return storage.inTransaction(c -> batches.page(c, state, offset, limit)).stream().map(HangfireJobMonitor::info)
                .toList();
    }

    @Override
    public List<BatchInfo> nestedBatches(String batchId) {
        long id = JobId.parse(batchId, "batchId");
        return storage.inTransaction(c -> batches.children(c, id)).stream().map(HangfireJobMonitor::info).toList();
    }

    @Override
    public List<BatchInfo> batchContinuations(String batchId) {
        long id = JobId.parse(batchId, "batchId");
        return storage.inTransaction(c -> batches.continuations(c, id)).stream().map(HangfireJobMonitor::info).toList();
    }

    @Override
    public List<JobSummary> batchJobs(String batchId, JobState state, int offset, int limit) {
        long id = JobId.parse(batchId, "batchId");
        if (state == null) {
            throw new IllegalArgumentException("'state' must not be null");
        }
        checkPage(offset, limit);
        return storage.inTransaction(c -> batches.jobs(c, id, state, offset, limit));
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("offset must be >= 0 and limit between 1 and " + MAX_PAGE + ", got offset "
                    + offset + " and limit " + limit);
        }
    }

    private static BatchInfo info(BatchRow b) {
        return new BatchInfo(JobId.format(b.id()), b.description(), b.state(),
                b.parentBatchId() == null ? null : JobId.format(b.parentBatchId()), b.total(), b.succeeded(), b.deleted(),
                b.failed(), b.awaitedBatchId() == null ? null : JobId.format(b.awaitedBatchId()), b.option(),
                b.createdAt(), b.stateChangedAt(), b.expireAt());
    }

    @Inject
    io.quarkiverse.hangfire.runtime.storage.JobResults results;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.JobStore jobStore;

    @Override
    public <V> Optional<V> result(String jobId, Class<V> type) {
        long id = JobId.parse(jobId);
        if (type == null) {
            throw new IllegalArgumentException("'type' must not be null");
        }
        String json = storage.inTransaction(c -> {
            if (!jobStore.exists(c, id)) {
                throw new JobNotFoundException(jobId);
            }
            return results.of(c, id);
        });
        return json == null ? Optional.empty() : Optional.ofNullable(JobArguments.fromJson(json, type));
    }
}
