package io.quarkiverse.hangfire.runtime.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hibernate.Session;
import org.hibernate.query.SelectionQuery;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobStateEntity;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/**
 * The reads of jobs shared by the monitor API, the dashboard and the Dev UI: pages, details, related jobs and the
 * candidates of a text search. Each runs in the caller's session (see {@link Transactions#read}), so that a caller puts
 * several into one transaction. Texts that can be long (arguments, state data, parameter values) are read as
 * prefixes of the length the caller asks for: a list or a search must not pull every job's whole payload. A little
 * over 300 lines because every read of a job and its history lives here, so that each bound is applied in one place.
 */
public final class JobReads {

    private static final String LISTED = "select j.id, j.jobName, j.queue, j.state, j.stateReason, j.attempt, j.createdAt,"
            + " j.stateChangedAt, j.scheduledAt, j.expireAt, j.continuationOption, j.parentId";

    private JobReads() {
    }

    /**
     * A job as lists show it.
     *
     * @param arguments the first characters of its arguments as asked for, null when none were asked for
     */
    public record Listed(long id, String jobName, String queue, JobState state, String stateReason, int attempt,
            Instant createdAt, Instant stateChangedAt, Instant scheduledAt, Instant expireAt, String continuationOption,
            Long parentId, String arguments) {
    }

    /**
     * A stored text as read.
     *
     * @param text its first characters as asked for, or all of it
     * @param length its stored length when that was asked for, else null
     */
    public record Text(String text, Long length) {
    }

    /** A parameter of a job, its value read as a {@link Text}. */
    public record Parameter(long jobId, String name, Text value) {
    }

    /** A state of a job's history, its data read as a {@link Text}. */
    public record StateRead(JobState state, String reason, Instant createdAt, Text data) {
    }

    /** A job named beside another (its parent or its continuations). */
    public record Related(long id, String jobName, JobState state, String continuationOption) {
    }

    /**
     * Where a window of a list ends: the oldest of the newest {@code window} jobs of its {@link JobCriteria#base()}.
     *
     * @param olderExist whether the base list holds older jobs too, which the window leaves out
     */
    public record WindowEdge(LocalDateTime stateChangedAt, long id, boolean olderExist) {
    }

    /**
     * The jobs a list narrowed by {@link JobCriteria#narrowsRows()} looks through: the newest this many of its state
     * (or of all jobs). Each such job is read to check the narrowing, so this bounds what the list costs; the
     * dashboard says when older jobs were left out.
     */
    public static final int NARROWED_WINDOW = 10_000;

    /** The most jobs a narrowed list counts: past it, lists say "10,000+" (see {@link Count}). */
    public static final int COUNT_CAP = 10_000;

    /**
     * How many jobs a list holds.
     *
     * @param capped whether there may be more than {@code count}: counting stopped at {@link #COUNT_CAP}, or the list
     *        looked through a window that left older jobs out
     */
    public record Count(long count, boolean capped) {
    }

    /**
     * The window a list looks through: for a filter that {@link JobCriteria#narrowsRows() narrows rows}, the newest
     * {@link #NARROWED_WINDOW} jobs of its base; null when the filter does not, or when its base holds fewer.
     */
    public static WindowEdge window(Session session, JobCriteria filter) {
        return filter.narrowsRows() ? windowEdge(session, filter, NARROWED_WINDOW, 0).orElse(null) : null;
    }

    /** {@link #count(Session, JobCriteria, WindowEdge)} in the list's own {@link #window}. */
    public static Count count(Session session, JobCriteria filter) {
        return count(session, filter, window(session, filter));
    }

    /**
     * How many jobs {@code filter} matches, at a cost that does not grow with the table: from the counters by state
     * ({@link CountReads#byState}, a read per state) when the filter is a state or nothing, else counted up to
     * {@link #COUNT_CAP} within {@code window} (when not null) along the base's index, so at most that many entries.
     */
    public static Count count(Session session, JobCriteria filter, WindowEdge window) {
        if (!filter.narrowsRows()) {
            Map<JobState, Long> byState = CountReads.byState(session);
            return new Count(filter.state() == null ? byState.values().stream().mapToLong(Long::longValue).sum()
                    : byState.get(filter.state()), false);
        }
        int found = within(session, "select j.id", filter, window, List.of(), Long.class).setMaxResults(COUNT_CAP + 1)
                .getResultList().size();
        return found > COUNT_CAP ? new Count(COUNT_CAP, true)
                : new Count(found, window != null && window.olderExist());
    }

    /** {@link #ids(Session, JobCriteria, WindowEdge, int, int)} in the list's own {@link #window}. */
    public static List<Long> ids(Session session, JobCriteria filter, int offset, int limit) {
        return ids(session, filter, window(session, filter), offset, limit);
    }

    /**
     * A page of the ids of the jobs {@code filter} matches within {@code window} (when not null), in the list's order
     * (see {@link JobCriteria#order()}). The base's index serves the order, so a page costs its offset and limit in
     * index entries (and, for a narrowed list, at most the window's jobs).
     */
    public static List<Long> ids(Session session, JobCriteria filter, WindowEdge window, int offset, int limit) {
        return within(session, "select j.id", filter, window, List.of(), Long.class).setFirstResult(offset)
                .setMaxResults(limit).getResultList();
    }

    /** {@code select} from the jobs {@code filter} and {@code more} conditions match within {@code window}, in order. */
    private static <R> SelectionQuery<R> within(Session session, String select, JobCriteria filter, WindowEdge window,
            List<String> more, Class<R> type) {
        List<String> conditions = new ArrayList<>();
        if (!filter.conditions().isEmpty()) {
            conditions.add(filter.conditions());
        }
        if (window != null) {
            conditions.add(filter.state() != null
                    ? "(j.stateChangedAt > :edgeTime or (j.stateChangedAt = :edgeTime and j.id >= :edgeId))"
                    : "j.id >= :edgeId");
        }
        conditions.addAll(more);
        SelectionQuery<R> query = filter.bind(session.createSelectionQuery(select + " from JobEntity j"
                + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions)) + filter.order(), type));
        if (window != null) {
            query.setParameter("edgeId", window.id());
            if (filter.state() != null) {
                query.setParameter("edgeTime", window.stateChangedAt());
            }
        }
        return query;
    }

    /**
     * The jobs {@code ids} in their order, those gone since the ids were read left out.
     *
     * @param argumentsChars how many characters of their arguments to read; 0 reads none
     * @param timeout the query's timeout in seconds, 0 for none
     */
    public static List<Listed> listed(Session session, Collection<Long> ids, int argumentsChars, int timeout) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Listed> rows = new LinkedHashMap<>();
        listedQuery(session, " where j.id in :ids", argumentsChars).setParameter("ids", ids).setTimeout(timeout)
                .getResultList().forEach(row -> rows.put((Long) row[0], listed(row)));
        List<Listed> listed = new ArrayList<>(rows.size());
        for (Long id : ids) {
            Listed row = rows.get(id);
            if (row != null) {
                listed.add(row);
            }
        }
        return listed;
    }

    /** The job {@code id} as lists show it, with {@code argumentsChars} characters of its arguments. */
    public static Optional<Listed> listed(Session session, long id, int argumentsChars) {
        return listedQuery(session, " where j.id = :id", argumentsChars).setParameter("id", id).getResultList().stream()
                .findFirst().map(JobReads::listed);
    }

    private static SelectionQuery<Object[]> listedQuery(Session session, String where, int argumentsChars) {
        String arguments = argumentsChars > 0 ? ", substring(j.arguments, 1, " + argumentsChars + ")" : "";
        return session.createSelectionQuery(LISTED + arguments + " from JobEntity j" + where, Object[].class);
    }

    private static Listed listed(Object[] row) {
        return new Listed((Long) row[0], (String) row[1], (String) row[2], JobState.valueOf((String) row[3]),
                (String) row[4], (Integer) row[5], fromDb((LocalDateTime) row[6]), fromDb((LocalDateTime) row[7]),
                fromDb((LocalDateTime) row[8]), fromDb((LocalDateTime) row[9]), (String) row[10], (Long) row[11],
                row.length > 12 ? (String) row[12] : null);
    }

    /** The job's current state, empty when there is no such job. */
    public static Optional<JobState> state(Session session, long id) {
        return session.createSelectionQuery("select j.state from JobEntity j where j.id = :id", String.class)
                .setParameter("id", id).getResultList().stream().findFirst().map(JobState::valueOf);
    }

    /** A job's flow control and batch as the dashboard shows them. */
    public record Flow(int priority, String uniqueKey, java.time.Instant deadline, Long batchId) {
    }

    /** The job's priority (higher first), unique key, deadline and batch; null when there is no such job. */
    public static Flow flow(Session session, long id) {
        return session.createSelectionQuery("select j.priority, j.uniqueKey, j.deadline, j.batchId from JobEntity j"
                + " where j.id = :id", Object[].class).setParameter("id", id).getResultList().stream().findFirst()
                .map(r -> new Flow(-(Integer) r[0], (String) r[1], fromDb((LocalDateTime) r[2]), (Long) r[3])).orElse(null);
    }

    /** The whole job row, null when there is no such job. */
    public static JobEntity entity(Session session, long id) {
        return session.find(JobEntity.class, id);
    }

    /** Every parameter of the job, whole, by name. */
    public static Map<String, String> parameters(Session session, long id) {
        Map<String, String> parameters = new LinkedHashMap<>();
        session.createSelectionQuery("select p.name, p.value from JobParameterEntity p where p.jobId = :job order by p.name",
                Object[].class).setParameter("job", id).getResultList()
                .forEach(p -> parameters.put((String) p[0], (String) p[1]));
        return parameters;
    }

    /** The first {@code max} parameters of the job by name, {@code chars} characters of each value and its length. */
    public static List<Parameter> parameters(Session session, long id, int chars, int max) {
        return session.createSelectionQuery("select p.name, substring(p.value, 1, " + chars + "), length(p.value)"
                + " from JobParameterEntity p where p.jobId = :id order by p.name", Object[].class).setParameter("id", id)
                .setMaxResults(max).getResultList().stream()
                .map(p -> new Parameter(id, (String) p[0], new Text((String) p[1], length(p[2])))).toList();
    }

    /**
     * The parameters of the jobs {@code ids} whose lower-cased name is one of {@code lowerCaseNames}, by job,
     * {@code chars} characters of each value (lengths not read).
     */
    public static Map<Long, List<Parameter>> parametersNamed(Session session, Collection<Long> ids,
            Collection<String> lowerCaseNames, int chars, int timeout) {
        Map<Long, List<Parameter>> byJob = new LinkedHashMap<>();
        if (ids.isEmpty() || lowerCaseNames.isEmpty()) {
            return byJob;
        }
        for (Object[] p : session.createSelectionQuery("select p.jobId, p.name, substring(p.value, 1, " + chars
                + ") from JobParameterEntity p where p.jobId in :ids and lower(p.name) in :names", Object[].class)
                .setParameter("ids", ids).setParameter("names", lowerCaseNames).setTimeout(timeout).getResultList()) {
            byJob.computeIfAbsent((Long) p[0], k -> new ArrayList<>())
                    .add(new Parameter((Long) p[0], (String) p[1], new Text((String) p[2], null)));
        }
        return byJob;
    }

    /**
     * The job's whole history, newest first: the states its row stands for (not written yet, see
     * {@link JobRow#unloggedHistory}), then the rows of its history.
     */
    public static List<JobStateEntity> states(Session session, long id) {
        List<JobStateEntity> states = new ArrayList<>();
        for (JobStore.HistoryRow h : unlogged(session, id)) {
            JobStateEntity state = new JobStateEntity();
            state.setJobId(id);
            state.setState(h.state().name());
            state.setReason(h.reason());
            state.setCreatedAt(JobClock.toDb(h.createdAt()));
            state.setData(h.data());
            states.add(state);
        }
        states.addAll(session.createSelectionQuery("from JobStateEntity s where s.jobId = :job order by s.id desc",
                JobStateEntity.class).setParameter("job", id).getResultList());
        return states;
    }

    /**
     * The newest {@code max} states of the job, newest first (those its row stands for first), {@code chars}
     * characters of their data and its length.
     */
    public static List<StateRead> states(Session session, long id, int chars, int max) {
        List<StateRead> states = new ArrayList<>();
        for (JobStore.HistoryRow h : unlogged(session, id)) {
            String data = h.data() == null || h.data().length() <= chars ? h.data() : h.data().substring(0, chars);
            states.add(new StateRead(h.state(), h.reason(), h.createdAt(),
                    new Text(data, h.data() == null ? null : (long) h.data().length())));
        }
        states.addAll(session.createSelectionQuery("select s.state, s.reason, s.createdAt, substring(s.data, 1, " + chars
                + "), length(s.data) from JobStateEntity s where s.jobId = :id order by s.id desc", Object[].class)
                .setParameter("id", id).setMaxResults(Math.max(0, max - states.size())).getResultList().stream()
                .map(h -> new StateRead(JobState.valueOf((String) h[0]), (String) h[1], fromDb((LocalDateTime) h[2]),
                        new Text((String) h[3], length(h[4]))))
                .toList());
        return states;
    }

    /** How many states the job's history holds, those its row stands for included. */
    public static long stateCount(Session session, long id) {
        return unlogged(session, id).size() + session.createSelectionQuery(
                "select count(s) from JobStateEntity s where s.jobId = :id", Long.class).setParameter("id", id)
                .getSingleResult();
    }

    /** The states the job's row stands for, newest first. */
    private static List<JobStore.HistoryRow> unlogged(Session session, long id) {
        List<JobStore.HistoryRow> newestFirst = new ArrayList<>();
        for (Object[] j : session.createSelectionQuery("select j.state, j.attempt, j.historyPending, j.stateReason,"
                + " j.stateChangedAt, j.createdAt, j.claimedAt, j.owner, j.stateData from JobEntity j"
                + " where j.id = :id and j.historyPending > 0", Object[].class)
                .setParameter("id", id).getResultList()) {
            List<JobStore.HistoryRow> oldestFirst = JobRow.unloggedHistory(id, JobState.valueOf((String) j[0]),
                    (Integer) j[1], (Integer) j[2], (String) j[3], fromDb((LocalDateTime) j[4]), fromDb((LocalDateTime) j[5]),
                    fromDb((LocalDateTime) j[6]), (String) j[7], (String) j[8]);
            for (int i = oldestFirst.size() - 1; i >= 0; i--) {
                newestFirst.add(oldestFirst.get(i));
            }
        }
        return newestFirst;
    }

    /**
     * The data of the Failed states of the jobs {@code ids}, newest first, by job: {@code chars} characters of each, at
     * most {@code max} in all.
     */
    public static Map<Long, List<String>> failureData(Session session, Collection<Long> ids, int chars, int max,
            int timeout) {
        Map<Long, List<String>> byJob = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return byJob;
        }
        for (Object[] f : session.createSelectionQuery("select s.jobId, substring(s.data, 1, " + chars
                + ") from JobStateEntity s where s.jobId in :ids and s.state = 'FAILED' order by s.id desc", Object[].class)
                .setParameter("ids", ids).setMaxResults(max).setTimeout(timeout).getResultList()) {
            byJob.computeIfAbsent((Long) f[0], k -> new ArrayList<>()).add((String) f[1]);
        }
        return byJob;
    }

    /** The jobs {@code ids} by id, with what names them beside another job. */
    public static List<Related> related(Session session, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return session.createSelectionQuery("select j.id, j.jobName, j.state, j.continuationOption from JobEntity j"
                + " where j.id in :ids order by j.id", Object[].class).setParameter("ids", ids).getResultList().stream()
                .map(r -> new Related((Long) r[0], (String) r[1], JobState.valueOf((String) r[2]), (String) r[3])).toList();
    }

    /** The first {@code max} continuations of the job, by id. */
    public static List<Long> continuationIds(Session session, long id, int max) {
        return session.createSelectionQuery("select j.id from JobEntity j where j.parentId = :id order by j.id", Long.class)
                .setParameter("id", id).setMaxResults(max).getResultList();
    }

    /**
     * Where the newest {@code window} jobs of {@code filter}'s {@link JobCriteria#base() base} end; empty when it holds
     * fewer. Reads {@code window} entries of the base's index (the state's, or the primary key).
     */
    public static Optional<WindowEdge> windowEdge(Session session, JobCriteria filter, int window, int timeout) {
        JobCriteria base = filter.base();
        List<Object[]> edge = within(session, "select j.stateChangedAt, j.id", base, null, List.of(), Object[].class)
                .setFirstResult(window - 1).setMaxResults(2).setTimeout(timeout).getResultList();
        return edge.isEmpty() ? Optional.empty()
                : Optional.of(new WindowEdge((LocalDateTime) edge.get(0)[0], (Long) edge.get(0)[1], edge.size() == 2));
    }

    /**
     * The ids of at most {@code max} jobs matching {@code filter} within {@code edge} (when not null), in the list's
     * order, whose stored text contains {@code lowerCaseText} ignoring case: the first {@code argumentsChars}
     * characters of their arguments, their state reason, or the first {@code dataChars} of the data of one of their
     * Failed states. What the stored text contains is a superset of what is shown of it.
     */
    public static List<Long> containing(Session session, JobCriteria filter, WindowEdge edge, String lowerCaseText,
            int argumentsChars, int dataChars, int max, int timeout) {
        String contains = "(lower(substring(j.arguments, 1, " + argumentsChars + ")) like :text escape '!'"
                + " or lower(j.stateReason) like :text escape '!'"
                + " or exists (select 1 from JobStateEntity s where s.jobId = j.id and s.state = 'FAILED'"
                + " and lower(substring(s.data, 1, " + dataChars + ")) like :text escape '!'))";
        String escaped = lowerCaseText.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return within(session, "select j.id", filter, edge, List.of(contains), Long.class)
                .setParameter("text", "%" + escaped + "%").setMaxResults(max).setTimeout(timeout).getResultList();
    }

    private static Long length(Object stored) {
        return stored == null ? null : ((Number) stored).longValue();
    }
}
