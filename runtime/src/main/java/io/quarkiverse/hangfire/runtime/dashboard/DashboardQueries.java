package io.quarkiverse.hangfire.runtime.dashboard;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.StateRecord;
import io.quarkiverse.hangfire.runtime.HangfireJobMonitor;
import io.quarkiverse.hangfire.runtime.HangfireRecurringJobs;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ExceptionInfo;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.History;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.HistoryEntry;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.HistoryPoint;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobItem;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobList;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.LogLine;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.QueueView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.RecurringView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Related;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ServerView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Stats;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobLogs;
import io.quarkiverse.hangfire.runtime.storage.Storage;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/**
 * The dashboard's reads: lists with filters, job details with what the UI shows beside them, queues. The plain
 * counts and details come from {@link JobMonitor}; what only the dashboard needs lives here.
 */
@Singleton
public class DashboardQueries {

    /** Automatic retries wait in Scheduled with this reason (see {@code AutomaticRetry}). */
    static final String RETRY_REASON_PREFIX = "Retry attempt ";
    static final int MAX_PAGE = 500;
    static final int LOG_LINES = 500;
    private static final int NEXT_IN_QUEUE = 5;

    @Inject
    Storage storage;

    @Inject
    HangfireJobMonitor monitor;

    @Inject
    HangfireRecurringJobs recurring;

    @Inject
    JobLogs logs;

    @Inject
    HangfireConfig config;

    private Redaction redaction;

    @jakarta.annotation.PostConstruct
    void readRedactedNames() {
        redaction = new Redaction(config.dashboard().redact());
    }

    /** What a job list is narrowed to; null members do not narrow it. */
    record Filter(JobState state, String jobName, String queue, String text, boolean retriesOnly) {
    }

    /** Polled by every open overview: its queries share one transaction. */
    Stats stats() {
        return read(session -> new Stats(monitor.countsByState(), monitor.finishedTotals(),
                count(session, new Filter(JobState.SCHEDULED, null, null, null, true)),
                session.createSelectionQuery("select count(r) from RecurringJobEntity r", Long.class).getSingleResult(),
                monitor.servers().size(), JobClock.now()));
    }

    History history(ChronoUnit unit) {
        int periods = unit == ChronoUnit.HOURS ? 24 : 7;
        List<CountPoint> succeeded = monitor.history(JobState.SUCCEEDED, unit, periods);
        List<CountPoint> failed = monitor.history(JobState.FAILED, unit, periods);
        List<CountPoint> deleted = monitor.history(JobState.DELETED, unit, periods);
        List<HistoryPoint> points = new ArrayList<>(periods);
        for (int i = 0; i < periods; i++) {
            points.add(new HistoryPoint(succeeded.get(i).start(), succeeded.get(i).count(), failed.get(i).count(),
                    deleted.get(i).count()));
        }
        return new History(unit.name(), points);
    }

    JobList jobs(Filter filter, int offset, int limit) {
        return read(session -> {
            long total = count(session, filter);
            SelectionQuery<JobEntity> query = session.createSelectionQuery(
                    "from JobEntity j" + where(filter) + " order by j.stateChangedAt desc, j.id desc", JobEntity.class);
            bind(query, filter);
            List<JobItem> jobs = query.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                    .map(this::item).toList();
            return new JobList(jobs, total, offset, limit);
        });
    }

    Optional<JobView> job(String jobId) {
        try {
            JobId.parse(jobId);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty(); // a URL's malformed id names no job: a 404 like an unknown one
        }
        return read(session -> {
            Optional<JobDetails> found = monitor.job(jobId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            JobDetails job = found.get();
            long id = Long.parseLong(job.id());
            Map<String, String> parameters = new LinkedHashMap<>();
            job.parameters().forEach((name, value) -> parameters.put(name, redaction.parameter(name, value)));
            Integer progress = progress(job.parameters().get(JobLogs.PROGRESS_PARAMETER));
            List<HistoryEntry> history = job.history().stream()
                    .map(h -> new HistoryEntry(h.state(), h.reason(), h.createdAt(), h.data())).toList();
            ExceptionInfo exception = job.history().stream().filter(h -> h.data().containsKey("exceptionType")).findFirst()
                    .map(DashboardQueries::exception).orElse(null);
            Related parent = null;
            if (job.parentId() != null) {
                JobEntity p = session.find(JobEntity.class, Long.parseLong(job.parentId()));
                parent = p == null ? new Related(job.parentId(), null, null, null) : related(p);
            }
            List<Related> continuations = session
                    .createSelectionQuery("from JobEntity j where j.parentId = :id order by j.id", JobEntity.class)
                    .setParameter("id", id).setMaxResults(MAX_PAGE).getResultList().stream()
                    .map(DashboardQueries::related).toList();
            List<LogLine> log = logs.newest(session, id, LOG_LINES).stream()
                    .map(l -> new LogLine(l.time(), l.attempt(), l.text())).toList();
            return Optional.of(new JobView(job.id(), job.jobName(), job.queue(), job.state(), job.stateReason(), job.attempt(),
                    job.createdAt(), job.stateChangedAt(), job.scheduledAt(), job.expireAt(),
                    redaction.arguments(job.jobName(), job.arguments()), parameters, history, exception, parent,
                    continuations, progress, log));
        });
    }

    List<QueueView> queues() {
        return read(session -> {
            Set<String> names = new LinkedHashSet<>(config.server().queues());
            Map<String, long[]> counts = new LinkedHashMap<>();
            for (Object[] row : session.createSelectionQuery(
                    "select q.queue, sum(case when q.owner is null then 1 else 0 end), sum(case when q.owner is null then 0 else 1 end)"
                            + " from JobQueueEntity q group by q.queue order by q.queue",
                    Object[].class).getResultList()) {
                names.add((String) row[0]);
                counts.put((String) row[0], new long[] { ((Number) row[1]).longValue(), ((Number) row[2]).longValue() });
            }
            List<QueueView> queues = new ArrayList<>(names.size());
            for (String name : names) {
                long[] c = counts.getOrDefault(name, new long[2]);
                List<JobItem> next = session.createSelectionQuery("select j from JobQueueEntity q join JobEntity j on j.id = q.jobId"
                        + " where q.queue = :queue and q.owner is null order by q.id", JobEntity.class)
                        .setParameter("queue", name).setMaxResults(NEXT_IN_QUEUE).getResultList().stream().map(this::item)
                        .toList();
                queues.add(new QueueView(name, c[0], c[1], next));
            }
            return queues;
        });
    }

    List<RecurringView> recurring() {
        return recurring.list().stream().map(this::recurringView).toList();
    }

    Optional<RecurringJobInfo> recurringJob(String id) {
        return recurring.get(id);
    }

    List<ServerView> servers() {
        return monitor.servers().stream()
                .map(s -> new ServerView(s.id(), s.queues(), s.workers(), s.startedAt(), s.lastHeartbeat())).toList();
    }

    private RecurringView recurringView(RecurringJobInfo r) {
        return new RecurringView(r.id(), r.jobName(), redaction.arguments(r.jobName(), r.arguments()),
                r.cron(), r.zone(), r.queue(), r.misfire(), r.paused(), r.nextExecution(), r.lastExecution(), r.lastJobId(),
                r.lastJobState(), r.error(), r.createdAt());
    }

    private JobItem item(JobEntity j) {
        return new JobItem(j.getId().toString(), j.getJobName(), j.getQueue(), JobState.valueOf(j.getState()),
                j.getStateReason(), j.getAttempt(), fromDb(j.getCreatedAt()), fromDb(j.getStateChangedAt()),
                fromDb(j.getScheduledAt()), redaction.shortArguments(j.getJobName(), j.getArguments()));
    }

    private static Related related(JobEntity j) {
        return new Related(j.getId().toString(), j.getJobName(), JobState.valueOf(j.getState()), j.getContinuationOption());
    }

    private static ExceptionInfo exception(StateRecord failed) {
        Map<String, String> data = failed.data();
        return new ExceptionInfo(data.get("exceptionType"), data.get("exceptionMessage"), data.get("stackTrace"));
    }

    private static Integer progress(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Math.max(0, Math.min(100, Integer.parseInt(json.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long count(Session session, Filter filter) {
        SelectionQuery<Long> query = session.createSelectionQuery("select count(j) from JobEntity j" + where(filter), Long.class);
        bind(query, filter);
        return query.getSingleResult();
    }

    private static String where(Filter filter) {
        List<String> conditions = new ArrayList<>();
        if (filter.state() != null) {
            conditions.add("j.state = :state");
        }
        if (filter.retriesOnly()) {
            conditions.add("j.stateReason like :retry");
        }
        if (filter.jobName() != null) {
            conditions.add("j.jobName = :name");
        }
        if (filter.queue() != null) {
            conditions.add("j.queue = :queue");
        }
        if (filter.text() != null) {
            // arguments, the current reason (which carries the exception message) or any recorded exception
            conditions.add("(lower(j.arguments) like :text escape '!' or lower(j.stateReason) like :text escape '!'"
                    + " or exists (select 1 from JobStateEntity s where s.jobId = j.id and s.state = 'FAILED'"
                    + " and lower(s.data) like :text escape '!'))");
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    private static void bind(SelectionQuery<?> query, Filter filter) {
        if (filter.state() != null) {
            query.setParameter("state", filter.state().name());
        }
        if (filter.retriesOnly()) {
            query.setParameter("retry", RETRY_REASON_PREFIX + "%");
        }
        if (filter.jobName() != null) {
            query.setParameter("name", filter.jobName());
        }
        if (filter.queue() != null) {
            query.setParameter("queue", filter.queue());
        }
        if (filter.text() != null) {
            String escaped = filter.text().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
            query.setParameter("text", "%" + escaped + "%");
        }
    }

    private <T> T read(Function<Session, T> query) {
        return storage.read(query);
    }
}
