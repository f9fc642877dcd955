package io.quarkiverse.hangfire.runtime.dashboard;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;

import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Argument;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ExceptionInfo;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.History;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.HistoryEntry;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.HistoryPoint;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobItem;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobList;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ListWindow;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.LogLine;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.QueueView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.RecurringView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Related;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ServerView;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Stats;
import io.quarkiverse.hangfire.runtime.dashboard.RedactedJson.Rendered;
import io.quarkiverse.hangfire.runtime.storage.CountReads;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobCriteria;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobLogs;
import io.quarkiverse.hangfire.runtime.storage.JobReads;
import io.quarkiverse.hangfire.runtime.storage.JobReads.Listed;
import io.quarkiverse.hangfire.runtime.storage.JobReads.Parameter;
import io.quarkiverse.hangfire.runtime.storage.JobReads.StateRead;
import io.quarkiverse.hangfire.runtime.storage.QueueReads;
import io.quarkiverse.hangfire.runtime.storage.RecurringReads;
import io.quarkiverse.hangfire.runtime.storage.ServerReads;
import io.quarkiverse.hangfire.runtime.storage.Transactions;

/**
 * The dashboard's views: lists with filters, job details with what the UI shows beside them, queues. The rows come
 * from the read model the monitor API shares ({@link JobReads}, {@link CountReads}, {@link QueueReads},
 * {@link ServerReads}, {@link RecurringReads}); what is the dashboard's lives here: what is redacted, how much of each
 * text is read and shown, and the views' shapes.
 */
@Singleton
public class DashboardQueries {

    static final int MAX_PAGE = 500;
    /**
     * The furthest a page may start: a page at offset n reads n entries of the list's index, so a request for a page
     * far down a long list (any reader may send one) would cost what the table holds. Past it, narrow the list.
     */
    static final int MAX_OFFSET = JobReads.COUNT_CAP;
    static final int LOG_LINES = 500;
    /** The newest states shown of a job. */
    static final int HISTORY = 100;
    /** The most parameters shown of a job. */
    static final int PARAMETERS = 100;
    private static final int NEXT_IN_QUEUE = 5;
    @Inject
    Transactions storage;

    @Inject
    ShownJobs shownJobs;

    @Inject
    JobLogs logs;

    @Inject
    HangfireConfig config;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.QueuePauses queuePauses;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.RateLimits rateLimits;

    /** What a job list is narrowed to; null members do not narrow it. The text is searched by {@link JobSearch}. */
    record Filter(JobState state, String jobName, String queue, String text, boolean retriesOnly) {

        /** What narrows the list in the database: all but the text. */
        JobCriteria narrowing() {
            return new JobCriteria(state, jobName, queue, retriesOnly);
        }
    }

    /** Polled by every open overview: its queries share one transaction. */
    Stats stats() {
        return read(session -> {
            JobReads.Count retries = JobReads.count(session, JobCriteria.RETRIES);
            return new Stats(CountReads.byState(session), CountReads.finishedTotals(session), retries.count(),
                    retries.capped(), RecurringReads.count(session),
                    ServerReads.alive(session, config.server().leaseTimeout()).size(), JobClock.now());
        });
    }

    History history(ChronoUnit unit) {
        int periods = unit == ChronoUnit.HOURS ? 24 : 7;
        return read(session -> {
            List<CountPoint> succeeded = CountReads.history(session, JobState.SUCCEEDED, unit, periods);
            List<CountPoint> failed = CountReads.history(session, JobState.FAILED, unit, periods);
            List<CountPoint> deleted = CountReads.history(session, JobState.DELETED, unit, periods);
            List<HistoryPoint> points = new ArrayList<>(periods);
            for (int i = 0; i < periods; i++) {
                points.add(new HistoryPoint(succeeded.get(i).start(), succeeded.get(i).count(), failed.get(i).count(),
                        deleted.get(i).count()));
            }
            return new History(unit.name(), points);
        });
    }

    JobList jobs(Filter filter, int offset, int limit) {
        return read(session -> {
            JobCriteria narrowing = filter.narrowing();
            JobReads.WindowEdge window = JobReads.window(session, narrowing);
            JobReads.Count total = JobReads.count(session, narrowing, window);
            List<Long> ids = JobReads.ids(session, narrowing, window, offset, limit);
            ShownText text = new ShownText(shownJobs.redaction());
            List<JobItem> jobs = new ArrayList<>(ids.size());
            for (List<Long> chunk : ShownJobs.chunks(ids)) {
                shownJobs.shown(session, chunk, false, text, 0).forEach(s -> jobs.add(s.item()));
            }
            return new JobList(jobs, total.count(), total.capped(), offset, limit, MAX_OFFSET,
                    narrowing.narrowsRows() ? new ListWindow(JobReads.NARROWED_WINDOW, window != null && window.olderExist())
                            : null,
                    null);
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
            Optional<Listed> found = JobReads.listed(session, id, ShownJobs.ARGUMENTS_PROBE);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Listed row = found.get();
            String jobName = row.jobName();
            ShownText text = new ShownText(shownJobs.redaction());
            Map<String, Long> truncated = new LinkedHashMap<>();

            // first every secret of the job, then everything shown with them hidden
            List<String> secrets = shownJobs.secrets(row, shownJobs.secretParameters(session, List.of(id), 0).getOrDefault(id, List.of()));
            Redaction.Arguments arguments = shownJobs.redaction().arguments(jobName,
                    ShownJobs.Read.probed(row.arguments(), ShownText.ARGUMENTS_READ).text(), new ArrayList<>(), ShownText.VALUE);
            Map<String, Rendered> renderedParameters = new LinkedHashMap<>();
            for (Parameter p : JobReads.parameters(session, id, ShownText.DATA_READ, PARAMETERS)) {
                renderedParameters.put(p.name(), shownJobs.parameter(p.name(), ShownJobs.Read.measured(p.value()), new ArrayList<>()));
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

            long historyTotal = JobReads.stateCount(session, id);
            List<HistoryEntry> history = new ArrayList<>();
            ExceptionInfo exception = null;
            for (StateRead h : JobReads.states(session, id, ShownText.DATA_READ, HISTORY)) {
                Map<String, Long> cut = new LinkedHashMap<>();
                Map<String, String> data = shownJobs.stateData(ShownJobs.Read.measured(h.data()), secrets, text, cut);
                HistoryEntry entry = new HistoryEntry(h.state(), text.free(h.reason(), ShownText.VALUE, secrets, cut, "reason"),
                        h.createdAt(), data, cut);
                history.add(entry);
                if (exception == null && data.containsKey("exceptionType")) {
                    exception = ShownJobs.exception(entry);
                }
            }
            Related parent = null;
            if (row.parentId() != null) {
                parent = related(session, List.of(row.parentId())).stream().findFirst()
                        .orElse(new Related(row.parentId().toString(), null, null, null));
            }
            List<Related> continuations = related(session, JobReads.continuationIds(session, id, MAX_PAGE));
            List<LogLine> log = new ArrayList<>();
            for (JobLogs.Line l : logs.newest(session, id, LOG_LINES, ShownText.VALUE + ShownText.MARGIN)) {
                Map<String, Long> cut = new LinkedHashMap<>();
                log.add(new LogLine(l.time(), l.attempt(), text.free(l.text(), l.length(), ShownText.VALUE, secrets, cut, "line"),
                        cut));
            }
            String reason = text.free(row.stateReason(), ShownText.VALUE, secrets, truncated, "stateReason");
            JobReads.Flow flow = JobReads.flow(session, id);
            String batchId = flow == null || flow.batchId() == null ? null : Long.toString(flow.batchId());
            // a unique key is built from arguments: shown with their secrets hidden, like them
            String uniqueKey = flow == null || flow.uniqueKey() == null ? null
                    : text.free(flow.uniqueKey(), ShownText.VALUE, secrets, truncated, "uniqueKey");
            return Optional.of(new JobView(Long.toString(id), jobName, row.queue(), row.state(), reason, row.attempt(),
                    row.createdAt(), row.stateChangedAt(), row.scheduledAt(), row.expireAt(), shownArguments,
                    arguments.hiddenBecause(), parameters, history, historyTotal, exception, parent, continuations, progress,
                    log, batchId, truncated, flow == null ? 0 : flow.priority(),
                    uniqueKey, flow == null ? null : flow.deadline()));
        });
    }

    List<QueueView> queues() {
        Map<String, io.quarkiverse.hangfire.QueuePause> pauses = new LinkedHashMap<>();
        queuePauses.list().forEach(p -> pauses.put(p.queue(), p));
        return read(session -> {
            Set<String> names = new LinkedHashSet<>(config.server().queues());
            Map<String, QueueReads.QueueCount> counts = QueueReads.counts(session);
            names.addAll(counts.keySet());
            names.addAll(pauses.keySet());
            ShownText text = new ShownText(shownJobs.redaction());
            List<QueueView> queues = new ArrayList<>(names.size());
            for (String name : names) {
                QueueReads.QueueCount c = counts.getOrDefault(name, new QueueReads.QueueCount(0, 0));
                List<Long> next = QueueReads.next(session, name, NEXT_IN_QUEUE);
                io.quarkiverse.hangfire.QueuePause p = pauses.get(name);
                queues.add(new QueueView(name, c.enqueued(), c.fetched(),
                        shownJobs.shown(session, next, false, text, 0).stream().map(ShownJobs.Shown::item).toList(),
                        p == null ? null : new DashboardViews.QueuePauseView(p.pausedBy(), p.pausedAt(), p.until())));
            }
            return queues;
        });
    }

    /** The rate limits in use, at most 100, with the starts their windows hold now. */
    List<DashboardViews.RateLimitView> rateLimits() {
        // a key built from arguments is shown with their secrets hidden, like a unique key
        return rateLimits.usage().stream().map(u -> new DashboardViews.RateLimitView(
                shownJobs.redaction().rateLimitName(u.name()), u.starts(), u.rate())).toList();
    }

    List<RecurringView> recurring() {
        return read(session -> {
            List<String> ids = RecurringReads.ids(session);
            ShownText text = new ShownText(shownJobs.redaction());
            List<RecurringView> views = new ArrayList<>(ids.size());
            for (List<String> chunk : ShownJobs.chunks(ids)) {
                RecurringReads.listed(session, chunk, ShownJobs.ARGUMENTS_PROBE).forEach(r -> views.add(recurringView(r, text)));
            }
            return views;
        });
    }

    List<ServerView> servers() {
        return read(session -> ServerReads.alive(session, config.server().leaseTimeout())).stream()
                .map(s -> new ServerView(s.id(), s.queues(), s.workers(), s.startedAt(), s.lastHeartbeat())).toList();
    }

    private RecurringView recurringView(RecurringReads.Listed r, ShownText text) {
        String jobName = r.jobName();
        List<String> secrets = new ArrayList<>();
        Redaction.Arguments arguments = shownJobs.redaction().arguments(jobName,
                ShownJobs.Read.probed(r.arguments(), ShownText.ARGUMENTS_READ).text(), secrets, ShownText.VALUE);
        List<Argument> shownArguments = new ArrayList<>();
        if (arguments.values() != null) {
            for (int i = 0; i < arguments.values().size(); i++) {
                Map<String, Long> cut = new LinkedHashMap<>();
                shownArguments.add(new Argument(i < arguments.names().size() ? arguments.names().get(i) : null,
                        text.json(arguments.values().get(i), secrets, cut, "value"), cut));
            }
        }
        Map<String, Long> truncated = new LinkedHashMap<>();
        return new RecurringView(r.id(), jobName, shownArguments, arguments.hiddenBecause(), r.cron(), r.timeZone(),
                r.queue(), r.misfire(), r.paused(), r.nextExecution(), r.lastExecution(),
                r.lastJobId() == null ? null : r.lastJobId().toString(), r.lastJobState(),
                text.free(r.error(), ShownText.VALUE, secrets, truncated, "error"), r.createdAt(), truncated);
    }

    private static List<Related> related(Session session, List<Long> ids) {
        return JobReads.related(session, ids).stream()
                .map(r -> new Related(Long.toString(r.id()), r.jobName(), r.state(), r.continuationOption())).toList();
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

    private <T> T read(Function<Session, T> query) {
        return storage.read(query);
    }
}
