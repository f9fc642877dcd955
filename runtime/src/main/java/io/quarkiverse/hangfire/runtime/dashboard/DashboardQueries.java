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

import io.quarkiverse.hangfire.CountPoint;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobInfo;
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
import io.quarkiverse.hangfire.runtime.storage.CountReads;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobFilter;
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
     * The characters read of a job's arguments: one more than what is used, which tells whether they are longer (lists
     * do not ask for lengths: on PostgreSQL and H2 that reads the whole text).
     */
    private static final int ARGUMENTS_PROBE = ShownText.ARGUMENTS_READ + 1;

    @Inject
    Transactions storage;

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

        /** What narrows the list in the database: all but the text. */
        JobFilter narrowing() {
            return new JobFilter(state, jobName, queue, retriesOnly);
        }
    }

    /** Polled by every open overview: its queries share one transaction. */
    Stats stats() {
        return read(session -> new Stats(CountReads.byState(session), CountReads.finishedTotals(session),
                JobReads.count(session, JobFilter.RETRIES), RecurringReads.count(session),
                ServerReads.alive(session, config.server().leaseTimeout()).size(), JobClock.now()));
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
            long total = JobReads.count(session, filter.narrowing());
            List<Long> ids = JobReads.ids(session, filter.narrowing(), offset, limit);
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
            Optional<Listed> found = JobReads.listed(session, id, ARGUMENTS_PROBE);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Listed row = found.get();
            String jobName = row.jobName();
            ShownText text = new ShownText(redaction);
            Map<String, Long> truncated = new LinkedHashMap<>();

            // first every secret of the job, then everything shown with them hidden
            List<String> secrets = secrets(row, secretParameters(session, List.of(id), 0).getOrDefault(id, List.of()));
            Redaction.Arguments arguments = redaction.arguments(jobName,
                    Read.probed(row.arguments(), ShownText.ARGUMENTS_READ).text(), new ArrayList<>(), ShownText.VALUE);
            Map<String, Rendered> renderedParameters = new LinkedHashMap<>();
            for (Parameter p : JobReads.parameters(session, id, ShownText.DATA_READ, PARAMETERS)) {
                renderedParameters.put(p.name(), parameter(p.name(), Read.measured(p.value()), new ArrayList<>()));
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
                Map<String, String> data = stateData(Read.measured(h.data()), secrets, text, cut);
                HistoryEntry entry = new HistoryEntry(h.state(), text.free(h.reason(), ShownText.VALUE, secrets, cut, "reason"),
                        h.createdAt(), data, cut);
                history.add(entry);
                if (exception == null && data.containsKey("exceptionType")) {
                    exception = exception(entry);
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
            return Optional.of(new JobView(Long.toString(id), jobName, row.queue(), row.state(), reason, row.attempt(),
                    row.createdAt(), row.stateChangedAt(), row.scheduledAt(), row.expireAt(), shownArguments,
                    arguments.hiddenBecause(), parameters, history, historyTotal, exception, parent, continuations, progress,
                    log, truncated));
        });
    }

    List<QueueView> queues() {
        return read(session -> {
            Set<String> names = new LinkedHashSet<>(config.server().queues());
            Map<String, QueueReads.QueueCount> counts = QueueReads.counts(session);
            names.addAll(counts.keySet());
            ShownText text = new ShownText(redaction);
            List<QueueView> queues = new ArrayList<>(names.size());
            for (String name : names) {
                QueueReads.QueueCount c = counts.getOrDefault(name, new QueueReads.QueueCount(0, 0));
                List<Long> next = QueueReads.next(session, name, NEXT_IN_QUEUE);
                queues.add(new QueueView(name, c.enqueued(), c.fetched(),
                        shown(session, next, false, text, 0).stream().map(Shown::item).toList()));
            }
            return queues;
        });
    }

    List<RecurringView> recurring() {
        return read(session -> {
            List<String> ids = RecurringReads.ids(session);
            ShownText text = new ShownText(redaction);
            List<RecurringView> views = new ArrayList<>(ids.size());
            for (List<String> chunk : chunks(ids)) {
                RecurringReads.listed(session, chunk, ARGUMENTS_PROBE).forEach(r -> views.add(recurringView(r, text)));
            }
            return views;
        });
    }

    Optional<RecurringJobInfo> recurringJob(String id) {
        return recurring.get(id);
    }

    List<ServerView> servers() {
        return read(session -> ServerReads.alive(session, config.server().leaseTimeout())).stream()
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
        // jobs gone since the ids were read are left out
        List<Listed> rows = JobReads.listed(session, ids, ARGUMENTS_PROBE, timeout);
        Map<Long, List<Parameter>> secretParameters = secretParameters(session, ids, timeout);
        Map<Long, List<String>> failures = withSearchable
                ? JobReads.failureData(session, ids, ShownText.DATA_READ + 1, CHUNK * CHUNK, timeout)
                : Map.of();
        List<Shown> shown = new ArrayList<>(rows.size());
        for (Listed row : rows) {
            long id = row.id();
            List<String> secrets = secrets(row, secretParameters.getOrDefault(id, List.of()));
            Redaction.Arguments arguments = redaction.arguments(row.jobName(),
                    Read.probed(row.arguments(), ShownText.ARGUMENTS_READ).text(), new ArrayList<>(), ShownText.VALUE);
            List<String> values = arguments.values() == null ? null
                    : arguments.values().stream().map(v -> redaction.scrub(v.text(), secrets, v.cut())).toList();
            Map<String, Long> truncated = new LinkedHashMap<>();
            String shortArguments = shortArguments(arguments, values, text, truncated);
            String reason = text.free(row.stateReason(), ShownText.VALUE, secrets, truncated, "stateReason");
            JobItem item = new JobItem(Long.toString(id), row.jobName(), row.queue(), row.state(), reason, row.attempt(),
                    row.createdAt(), row.stateChangedAt(), row.scheduledAt(), shortArguments, truncated);
            List<String> searchable = new ArrayList<>();
            if (withSearchable) {
                if (values != null) {
                    searchable.addAll(values);
                }
                if (reason != null) {
                    searchable.add(reason);
                }
                ShownText unbounded = new ShownText(redaction);
                for (String failure : failures.getOrDefault(id, List.of())) {
                    ExceptionInfo e = exception(new HistoryEntry(JobState.FAILED, null, null,
                            stateData(Read.probed(failure, ShownText.DATA_READ), secrets, unbounded, new LinkedHashMap<>()),
                            null));
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
     * characters) and its parameters with a redacted name hide. {@code row} was read with {@link #ARGUMENTS_PROBE}.
     */
    private List<String> secrets(Listed row, List<Parameter> secretParameters) {
        List<String> secrets = new ArrayList<>();
        redaction.arguments(row.jobName(), Read.probed(row.arguments(), ShownText.ARGUMENTS_READ).text(), secrets,
                ShownText.VALUE);
        for (Parameter p : secretParameters) {
            parameter(p.name(), Read.probed(p.value().text(), ShownText.DATA_READ), secrets);
        }
        return secrets;
    }

    /** The parameters with a redacted name of the jobs {@code ids}, by job, each value read one character past what is used. */
    private Map<Long, List<Parameter>> secretParameters(Session session, List<Long> ids, int timeout) {
        return JobReads.parametersNamed(session, ids, redactedNames, ShownText.DATA_READ + 1, timeout);
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

    private RecurringView recurringView(RecurringReads.Listed r, ShownText text) {
        String jobName = r.jobName();
        List<String> secrets = new ArrayList<>();
        Redaction.Arguments arguments = redaction.arguments(jobName,
                Read.probed(r.arguments(), ShownText.ARGUMENTS_READ).text(), secrets, ShownText.VALUE);
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
        return JobReads.related(session, ids).stream()
                .map(r -> new Related(Long.toString(r.id()), r.jobName(), r.state(), r.continuationOption())).toList();
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
        static Read probed(String text, int max) {
            return text == null || text.length() <= max ? new Read(text, false, null)
                    : new Read(text.substring(0, max), true, null);
        }

        /** From a read that asked for the stored length. */
        static Read measured(JobReads.Text read) {
            String text = read.text();
            Long stored = read.length();
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

    private <T> T read(Function<Session, T> query) {
        return storage.read(query);
    }
}
