package io.quarkiverse.hangfire.runtime.dashboard;

import java.time.LocalDateTime;
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
import io.quarkiverse.hangfire.JobMonitor;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.runtime.HangfireJobMonitor;
import io.quarkiverse.hangfire.runtime.HangfireRecurringJobs;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Argument;
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
import io.quarkiverse.hangfire.runtime.dashboard.RedactedJson.Rendered;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore.HistoryRow;
import io.quarkiverse.hangfire.runtime.storage.JobLogs;
import io.quarkiverse.hangfire.runtime.storage.Transactions;

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
    /** The newest states shown of a job. */
    static final int HISTORY = 100;
    /** The most parameters shown of a job. */
    static final int PARAMETERS = 100;
    /** Jobs are read this many at a time, so that a page holds at most this many argument prefixes in memory. */
    static final int CHUNK = 20;
    private static final int SHORT_ARGUMENTS = 200;
    private static final int NEXT_IN_QUEUE = 5;
    /**
     * A job as the dashboard reads it: its arguments as a bounded prefix, one character longer than what is used,
     * which tells whether they are longer (lists do not ask for lengths: on PostgreSQL and H2 that reads the
     * whole text).
     */
    private static final String JOB_ROW = "select j.id, j.jobName, j.queue, j.state, j.stateReason, j.attempt, j.createdAt,"
            + " j.stateChangedAt, j.scheduledAt, substring(j.arguments, 1, " + (ShownText.ARGUMENTS_READ + 1) + "),"
            + " j.expireAt, j.continuationOption, j.parentId from JobEntity j";

    @Inject
    Transactions storage;

    @Inject
    HangfireJobMonitor monitor;

    @Inject
    HangfireRecurringJobs recurring;

    @Inject
    JobLogs logs;

    @Inject
    HangfireConfig config;

    private Redaction redaction;
    private List<String> redactedNames;

    @jakarta.annotation.PostConstruct
    void readRedactedNames() {
        redaction = new Redaction(config.dashboard().redact());
        redactedNames = config.dashboard().redact().stream().map(n -> n.trim().toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty()).toList();
    }

    Redaction redaction() {
        return redaction;
    }

    /** What a job list is narrowed to; null members do not narrow it. The text is searched by {@link JobSearch}. */
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
            SelectionQuery<Long> query = session.createSelectionQuery(
                    "select j.id from JobEntity j" + where(filter) + " order by j.stateChangedAt desc, j.id desc", Long.class);
            bind(query, filter);
            List<Long> ids = query.setFirstResult(offset).setMaxResults(limit).getResultList();
            ShownText text = new ShownText(redaction);
            List<JobItem> jobs = new ArrayList<>(ids.size());
            for (List<Long> chunk : chunks(ids)) {
                shown(session, chunk, false, text, 0).forEach(s -> jobs.add(s.item()));
            }
            return new JobList(jobs, total, offset, limit, null);
        });
    }

    Optional<JobView> job(String jobId) {
        long id;
        try {
            id = JobId.parse(jobId);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty(); // a URL's malformed id names no job: a 404 like an unknown one
        }
        return read(session -> {
            List<Object[]> found = session.createSelectionQuery(JOB_ROW + " where j.id = :id", Object[].class)
                    .setParameter("id", id).getResultList();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Object[] row = found.get(0);
            String jobName = (String) row[1];
            ShownText text = new ShownText(redaction);
            Map<String, Long> truncated = new LinkedHashMap<>();

            // first every secret of the job, then everything shown with them hidden
            List<String> secrets = secrets(row, secretParameters(session, List.of(id), 0).getOrDefault(id, List.of()));
            Redaction.Arguments arguments = redaction.arguments(jobName,
                    Read.probed(row[9], ShownText.ARGUMENTS_READ).text(), new ArrayList<>(), ShownText.VALUE);
            List<Object[]> parameterRows = session.createSelectionQuery("select p.name, substring(p.value, 1, "
                    + ShownText.DATA_READ + "), length(p.value) from JobParameterEntity p where p.jobId = :id order by p.name",
                    Object[].class).setParameter("id", id).setMaxResults(PARAMETERS).getResultList();
            Map<String, Rendered> renderedParameters = new LinkedHashMap<>();
            for (Object[] p : parameterRows) {
                String name = (String) p[0];
                renderedParameters.put(name, parameter(name, Read.measured(p[1], p[2]), new ArrayList<>()));
            }

            List<Argument> shownArguments = new ArrayList<>();
            if (arguments.values() != null) {
                for (int i = 0; i < arguments.values().size(); i++) {
                    Map<String, Long> cut = new LinkedHashMap<>();
                    String value = text.json(arguments.values().get(i), secrets, cut, "value");
                    shownArguments.add(new Argument(i < arguments.names().size() ? arguments.names().get(i) : null, value, cut));
                }
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            renderedParameters.forEach((name, value) -> parameters.put(name,
                    text.json(value, secrets, truncated, "parameters." + name)));
            Integer progress = progress(parameters.get(JobLogs.PROGRESS_PARAMETER));

            // newest first: the states the job row stands for, then the history rows
            List<Object[]> historyRows = unloggedHistory(session, id);
            long historyTotal = historyRows.size() + session.createSelectionQuery(
                    "select count(s) from JobStateEntity s where s.jobId = :id", Long.class).setParameter("id", id)
                    .getSingleResult();
            historyRows.addAll(session.createSelectionQuery("select s.state, s.reason, s.createdAt, substring(s.data, 1, "
                    + ShownText.DATA_READ + "), length(s.data) from JobStateEntity s where s.jobId = :id order by s.id desc",
                    Object[].class).setParameter("id", id).setMaxResults(HISTORY).getResultList());
            List<HistoryEntry> history = new ArrayList<>();
            ExceptionInfo exception = null;
            for (Object[] h : historyRows) {
                Map<String, Long> cut = new LinkedHashMap<>();
                Map<String, String> data = stateData(Read.measured(h[3], h[4]), secrets, text, cut);
                HistoryEntry entry = new HistoryEntry(JobState.valueOf((String) h[0]),
                        text.free((String) h[1], ShownText.VALUE, secrets, cut, "reason"), fromDb((LocalDateTime) h[2]), data,
                        cut);
                history.add(entry);
                if (exception == null && data.containsKey("exceptionType")) {
                    exception = exception(entry);
                }
            }
            Related parent = null;
            if (row[12] != null) {
                parent = related(session, List.of((Long) row[12])).stream().findFirst()
                        .orElse(new Related(row[12].toString(), null, null, null));
            }
            List<Long> continuationIds = session
                    .createSelectionQuery("select j.id from JobEntity j where j.parentId = :id order by j.id", Long.class)
                    .setParameter("id", id).setMaxResults(MAX_PAGE).getResultList();
            List<Related> continuations = related(session, continuationIds);
            List<LogLine> log = new ArrayList<>();
            for (JobLogs.Line l : logs.newest(session, id, LOG_LINES, ShownText.VALUE + ShownText.MARGIN)) {
                Map<String, Long> cut = new LinkedHashMap<>();
                log.add(new LogLine(l.time(), l.attempt(), text.free(l.text(), l.length(), ShownText.VALUE, secrets, cut, "line"),
                        cut));
            }
            String reason = text.free((String) row[4], ShownText.VALUE, secrets, truncated, "stateReason");
            return Optional.of(new JobView(Long.toString(id), jobName, (String) row[2], JobState.valueOf((String) row[3]),
                    reason, (Integer) row[5], fromDb((LocalDateTime) row[6]), fromDb((LocalDateTime) row[7]),
                    fromDb((LocalDateTime) row[8]), fromDb((LocalDateTime) row[10]), shownArguments,
                    arguments.hiddenBecause(), parameters, history, historyTotal, exception, parent, continuations, progress,
                    log, truncated));
        });
    }

    /** The history entries a job row stands for (not written yet), newest first, shaped like the history query's rows. */
    private static List<Object[]> unloggedHistory(Session session, long id) {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] j : session.createSelectionQuery("select j.attempt, j.historyPending, j.stateReason, j.stateChangedAt,"
                + " j.createdAt, j.owner from JobEntity j where j.id = :id", Object[].class).setParameter("id", id)
                .getResultList()) {
            List<HistoryRow> unlogged = JobRow.unloggedHistory(id, (Integer) j[0], (Integer) j[1],
                    (String) j[2], fromDb((LocalDateTime) j[3]), fromDb((LocalDateTime) j[4]), (String) j[5]);
            for (int i = unlogged.size() - 1; i >= 0; i--) {
                HistoryRow h = unlogged.get(i);
                rows.add(new Object[] { h.state().name(), h.reason(), JobClock.toDb(h.createdAt()), h.data(),
                        h.data() == null ? null : (long) h.data().length() });
            }
        }
        return rows;
    }

    List<QueueView> queues() {
        return read(session -> {
            Set<String> names = new LinkedHashSet<>(config.server().queues());
            Map<String, long[]> counts = new LinkedHashMap<>();
            for (Object[] row : session.createSelectionQuery(
                    "select j.queue, sum(case when j.state = 'ENQUEUED' then 1 else 0 end), sum(case when j.state = 'ENQUEUED'"
                            + " then 0 else 1 end) from JobEntity j where j.state in ('ENQUEUED', 'PROCESSING')"
                            + " group by j.queue order by j.queue",
                    Object[].class).getResultList()) {
                names.add((String) row[0]);
                counts.put((String) row[0], new long[] { ((Number) row[1]).longValue(), ((Number) row[2]).longValue() });
            }
            ShownText text = new ShownText(redaction);
            List<QueueView> queues = new ArrayList<>(names.size());
            for (String name : names) {
                long[] c = counts.getOrDefault(name, new long[2]);
                List<Long> next = session.createSelectionQuery(
                        "select j.id from JobEntity j where j.queue = :queue and j.state = 'ENQUEUED'"
                                + " order by j.priority, j.enqueuedAt, j.id",
                        Long.class).setParameter("queue", name).setMaxResults(NEXT_IN_QUEUE).getResultList();
                queues.add(new QueueView(name, c[0], c[1], shown(session, next, false, text, 0).stream().map(Shown::item)
                        .toList()));
            }
            return queues;
        });
    }

    List<RecurringView> recurring() {
        return read(session -> {
            List<String> ids = session.createSelectionQuery("select r.id from RecurringJobEntity r order by r.id", String.class)
                    .getResultList();
            ShownText text = new ShownText(redaction);
            List<RecurringView> views = new ArrayList<>(ids.size());
            for (List<String> chunk : chunks(ids)) {
                Map<String, Object[]> rows = new LinkedHashMap<>();
                for (Object[] r : session.createSelectionQuery("select r.id, r.jobName, substring(r.arguments, 1, "
                        + (ShownText.ARGUMENTS_READ + 1) + "), r.cron, r.timeZone, r.queue, r.misfire, r.paused,"
                        + " r.nextExecution, r.lastExecution, r.lastJobId,"
                        + " (select j.state from JobEntity j where j.id = r.lastJobId), r.error, r.createdAt"
                        + " from RecurringJobEntity r where r.id in :ids", Object[].class).setParameter("ids", chunk)
                        .getResultList()) {
                    rows.put((String) r[0], r);
                }
                for (String id : chunk) {
                    Object[] r = rows.get(id);
                    if (r != null) {
                        views.add(recurringView(r, text));
                    }
                }
            }
            return views;
        });
    }

    Optional<RecurringJobInfo> recurringJob(String id) {
        return recurring.get(id);
    }

    List<ServerView> servers() {
        return monitor.servers().stream()
                .map(s -> new ServerView(s.id(), s.queues(), s.workers(), s.startedAt(), s.lastHeartbeat())).toList();
    }

    /** A job as lists show it, and the texts a search looks through. */
    record Shown(JobItem item, List<String> searchable) {
    }

    /**
     * The jobs {@code ids} (a chunk: at most {@value #CHUNK}) as lists show them, in the order of {@code ids};
     * with {@code withSearchable}, also every text a search may match, as the job's page shows it.
     */
    List<Shown> shown(Session session, List<Long> ids, boolean withSearchable, ShownText text, int timeout) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Object[]> rows = new LinkedHashMap<>();
        for (Object[] row : session.createSelectionQuery(JOB_ROW + " where j.id in :ids", Object[].class)
                .setParameter("ids", ids).setTimeout(timeout).getResultList()) {
            rows.put((Long) row[0], row);
        }
        Map<Long, List<Object[]>> secretParameters = secretParameters(session, ids, timeout);
        Map<Long, List<Object[]>> failures = new LinkedHashMap<>();
        if (withSearchable) {
            for (Object[] f : session.createSelectionQuery("select s.jobId, substring(s.data, 1, " + (ShownText.DATA_READ + 1)
                    + ") from JobStateEntity s where s.jobId in :ids and s.state = 'FAILED' order by s.id desc",
                    Object[].class).setParameter("ids", ids).setMaxResults(CHUNK * CHUNK).setTimeout(timeout)
                    .getResultList()) {
                failures.computeIfAbsent((Long) f[0], k -> new ArrayList<>()).add(f);
            }
        }
        List<Shown> shown = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Object[] row = rows.get(id);
            if (row == null) {
                continue; // gone since the ids were read
            }
            List<String> secrets = secrets(row, secretParameters.getOrDefault(id, List.of()));
            Redaction.Arguments arguments = redaction.arguments((String) row[1],
                    Read.probed(row[9], ShownText.ARGUMENTS_READ).text(), new ArrayList<>(), ShownText.VALUE);
            List<String> values = arguments.values() == null ? null
                    : arguments.values().stream().map(v -> redaction.scrub(v.text(), secrets, v.cut())).toList();
            Map<String, Long> truncated = new LinkedHashMap<>();
            String shortArguments = shortArguments(arguments, values, text, truncated);
            String reason = text.free((String) row[4], ShownText.VALUE, secrets, truncated, "stateReason");
            JobItem item = new JobItem(id.toString(), (String) row[1], (String) row[2], JobState.valueOf((String) row[3]),
                    reason, (Integer) row[5], fromDb((LocalDateTime) row[6]), fromDb((LocalDateTime) row[7]),
                    fromDb((LocalDateTime) row[8]), shortArguments, truncated);
            List<String> searchable = new ArrayList<>();
            if (withSearchable) {
                if (values != null) {
                    searchable.addAll(values);
                }
                if (reason != null) {
                    searchable.add(reason);
                }
                ShownText unbounded = new ShownText(redaction);
                for (Object[] f : failures.getOrDefault(id, List.of())) {
                    ExceptionInfo e = exception(new HistoryEntry(JobState.FAILED, null, null,
                            stateData(Read.probed(f[1], ShownText.DATA_READ), secrets, unbounded, new LinkedHashMap<>()), null));
                    searchable.add(String.valueOf(e.type()));
                    searchable.add(String.valueOf(e.message()));
                    searchable.add(String.valueOf(e.stackTrace()));
                }
            }
            shown.add(new Shown(item, searchable));
        }
        return shown;
    }

    /**
     * A job's secrets, the same wherever it is shown: what its arguments (the first {@link ShownText#ARGUMENTS_READ}
     * characters) and its parameters with a redacted name hide. {@code row} is a {@link #JOB_ROW}.
     */
    private List<String> secrets(Object[] row, List<Object[]> secretParameters) {
        List<String> secrets = new ArrayList<>();
        redaction.arguments((String) row[1], Read.probed(row[9], ShownText.ARGUMENTS_READ).text(), secrets, ShownText.VALUE);
        for (Object[] p : secretParameters) {
            parameter((String) p[1], Read.probed(p[2], ShownText.DATA_READ), secrets);
        }
        return secrets;
    }

    /** The parameters with a redacted name of the jobs {@code ids}, by job: job id, name, a probed read of the value. */
    private Map<Long, List<Object[]>> secretParameters(Session session, List<Long> ids, int timeout) {
        Map<Long, List<Object[]>> byJob = new LinkedHashMap<>();
        if (redactedNames.isEmpty()) {
            return byJob;
        }
        for (Object[] p : session.createSelectionQuery("select p.jobId, p.name, substring(p.value, 1, "
                + (ShownText.DATA_READ + 1) + ") from JobParameterEntity p where p.jobId in :ids and lower(p.name) in :names",
                Object[].class).setParameter("ids", ids).setParameter("names", redactedNames).setTimeout(timeout)
                .getResultList()) {
            byJob.computeIfAbsent((Long) p[0], k -> new ArrayList<>()).add(p);
        }
        return byJob;
    }

    /** The arguments as one short line of JSON, for lists. */
    private static String shortArguments(Redaction.Arguments arguments, List<String> values, ShownText text,
            Map<String, Long> truncated) {
        if (values == null) {
            return "(" + arguments.hiddenBecause() + ")";
        }
        StringBuilder line = new StringBuilder("[");
        boolean cut = arguments.values().stream().anyMatch(Rendered::cut);
        for (String value : values) {
            if (line.length() > 1) {
                line.append(", ");
            }
            line.append(value);
            if (line.length() > SHORT_ARGUMENTS) {
                break;
            }
        }
        if (line.length() > SHORT_ARGUMENTS || cut) {
            truncated.put("arguments", null);
            return text.free(line.substring(0, Math.min(line.length(), SHORT_ARGUMENTS)), ShownText.VALUE, List.of(),
                    new LinkedHashMap<>(), "arguments") + "…";
        }
        return text.free(line.append(']').toString(), ShownText.VALUE, List.of(), new LinkedHashMap<>(), "arguments");
    }

    private RecurringView recurringView(Object[] r, ShownText text) {
        String jobName = (String) r[1];
        List<String> secrets = new ArrayList<>();
        Redaction.Arguments arguments = redaction.arguments(jobName, Read.probed(r[2], ShownText.ARGUMENTS_READ).text(),
                secrets, ShownText.VALUE);
        List<Argument> shownArguments = new ArrayList<>();
        if (arguments.values() != null) {
            for (int i = 0; i < arguments.values().size(); i++) {
                Map<String, Long> cut = new LinkedHashMap<>();
                shownArguments.add(new Argument(i < arguments.names().size() ? arguments.names().get(i) : null,
                        text.json(arguments.values().get(i), secrets, cut, "value"), cut));
            }
        }
        Map<String, Long> truncated = new LinkedHashMap<>();
        String lastState = (String) r[11];
        return new RecurringView((String) r[0], jobName, shownArguments, arguments.hiddenBecause(), (String) r[3],
                (String) r[4], (String) r[5], Misfire.valueOf((String) r[6]), (Boolean) r[7], fromDb((LocalDateTime) r[8]),
                fromDb((LocalDateTime) r[9]), r[10] == null ? null : r[10].toString(),
                lastState == null ? null : JobState.valueOf(lastState),
                text.free((String) r[12], ShownText.VALUE, secrets, truncated, "error"), fromDb((LocalDateTime) r[13]),
                truncated);
    }

    /** A state's data as shown: free text, stack traces longer than other values. */
    private Map<String, String> stateData(Read read, List<String> secrets, ShownText text, Map<String, Long> truncated) {
        Map<String, String> data = new LinkedHashMap<>();
        if (read.text() == null) {
            return data;
        }
        // names hidden here are not the job's secrets: lists do not read the data
        Map<String, String> fields = redaction.stateData(read.text(), new ArrayList<>());
        int index = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = "data." + field.getKey();
            String value = field.getValue();
            int limit = field.getKey().equals("stackTrace") ? ShownText.STACK_TRACE : ShownText.VALUE;
            // only the last value can have been cut where the read ended; its stored length is not known
            boolean cutByRead = read.cut() && ++index == fields.size();
            data.put(field.getKey(), text.free(value, cutByRead ? value.length() + 1L : value.length(), limit, secrets,
                    truncated, name));
            if (cutByRead) {
                truncated.put(name, null);
            }
        }
        return data;
    }

    private static ExceptionInfo exception(HistoryEntry failed) {
        Map<String, String> data = failed.data();
        Map<String, Long> truncated = new LinkedHashMap<>();
        if (failed.truncated() != null) {
            failed.truncated().forEach((field, length) -> {
                if (field.equals("data.exceptionMessage")) {
                    truncated.put("message", length);
                } else if (field.equals("data.stackTrace")) {
                    truncated.put("stackTrace", length);
                }
            });
        }
        return new ExceptionInfo(data.get("exceptionType"), data.get("exceptionMessage"), data.get("stackTrace"), truncated);
    }

    private static List<Related> related(Session session, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return session.createSelectionQuery("select j.id, j.jobName, j.state, j.continuationOption from JobEntity j"
                + " where j.id in :ids order by j.id", Object[].class).setParameter("ids", ids).getResultList().stream()
                .map(r -> new Related(r[0].toString(), (String) r[1], JobState.valueOf((String) r[2]), (String) r[3]))
                .toList();
    }

    /** A parameter value rendered from what was read of it: cut when that was not all of it. */
    private Rendered parameter(String name, Read read, List<String> secrets) {
        Rendered value = redaction.parameter(name, read.text() == null ? "null" : read.text(), secrets, ShownText.VALUE);
        return value.cut() || !read.cut() ? value : new Rendered(value.text(), true, null);
    }

    /**
     * What was read of a stored text.
     *
     * @param cut whether the stored text is longer
     * @param length the stored length, when it was asked for
     */
    private record Read(String text, boolean cut, Long length) {

        /** From a read of {@code max + 1} characters, which tells whether there are more than {@code max}. */
        static Read probed(Object read, int max) {
            String text = (String) read;
            return text == null || text.length() <= max ? new Read(text, false, null)
                    : new Read(text.substring(0, max), true, null);
        }

        /** From a read and the stored length. */
        static Read measured(Object read, Object length) {
            String text = (String) read;
            Long stored = length == null ? null : ((Number) length).longValue();
            return new Read(text, text != null && stored != null && stored > text.length(), stored);
        }
    }

    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
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

    static long count(Session session, Filter filter) {
        SelectionQuery<Long> query = session.createSelectionQuery("select count(j) from JobEntity j" + where(filter), Long.class);
        bind(query, filter);
        return query.getSingleResult();
    }

    /** The conditions of {@code filter} but its text, as an HQL where clause on {@code JobEntity j}. */
    static String where(Filter filter) {
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
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }

    static void bind(SelectionQuery<?> query, Filter filter) {
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
    }

    private <T> T read(Function<Session, T> query) {
        return storage.read(query);
    }
}
