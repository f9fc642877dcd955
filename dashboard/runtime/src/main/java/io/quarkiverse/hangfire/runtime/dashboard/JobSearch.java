package io.quarkiverse.hangfire.runtime.dashboard;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkiverse.hangfire.runtime.dashboard.DashboardQueries.Filter;
import io.quarkiverse.hangfire.runtime.dashboard.ShownJobs.Shown;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobItem;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobList;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.SearchScope;
import io.quarkiverse.hangfire.runtime.storage.JobCriteria;
import io.quarkiverse.hangfire.runtime.storage.JobReads;
import io.quarkiverse.hangfire.runtime.storage.JobReads.WindowEdge;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The text search of job lists. Any dashboard user may run it, so its cost is bounded: a shortest text, one
 * search per user and a few in all at once (more are refused, not queued), a timeout, and only the newest
 * {@code window} jobs of the list's state (of all jobs without a state) are looked through, along the index that
 * orders them: the other filters narrow that window.
 * <p>
 * SQL narrows the window to candidates whose stored text contains the text; a candidate is kept only when the
 * text occurs in what the dashboard shows of it (its redacted arguments, reason and exceptions), so that a
 * hidden value cannot be found, not even one character at a time. The count and the page come from the kept
 * jobs.
 */
@Singleton
public class JobSearch {

    @Inject
    Transactions storage;

    @Inject
    ShownJobs shownJobs;

    @Inject
    DashboardConfig config;

    private final Set<String> searchingUsers = ConcurrentHashMap.newKeySet();
    private Semaphore slots;

    @PostConstruct
    void checkConfiguration() {
        DashboardConfig.Search search = config.dashboard().search();
        if (search.concurrency() < 1 || search.window() < 1 || search.minLength() < 1 || search.timeout().isNegative()
                || search.timeout().isZero()) {
            throw new ConfigurationException("quarkus.hangfire.dashboard.search.concurrency, window and min-length must be"
                    + " at least 1 and timeout positive, got concurrency " + search.concurrency() + ", window "
                    + search.window() + ", min-length " + search.minLength() + ", timeout " + search.timeout());
        }
        slots = new Semaphore(search.concurrency());
    }

    /** The shortest text searched. */
    int minLength() {
        return config.dashboard().search().minLength();
    }

    /** A page of the jobs matching {@code filter}, whose text must be set; {@code user} null for anonymous. */
    JobList search(Filter filter, int offset, int limit, String user) {
        String who = user == null ? "" : user;
        if (!searchingUsers.add(who)) {
            throw refused(Response.Status.TOO_MANY_REQUESTS, 1,
                    "You have a search running already: wait for it before starting another");
        }
        try {
            if (!slots.tryAcquire()) {
                throw refused(Response.Status.TOO_MANY_REQUESTS, 1, config.dashboard().search().concurrency()
                        + " searches are running, the most at once (quarkus.hangfire.dashboard.search.concurrency):"
                        + " try again in a moment");
            }
            try {
                return run(filter, offset, limit);
            } catch (RuntimeException e) {
                if (isTimeout(e)) {
                    throw refused(Response.Status.SERVICE_UNAVAILABLE, 5, "The search took longer than "
                            + config.dashboard().search().timeout().toMillis() + " ms and was stopped: narrow the list by"
                            + " state, job name or queue, or search for a longer text");
                }
                throw e;
            } finally {
                slots.release();
            }
        } finally {
            searchingUsers.remove(who);
        }
    }

    private JobList run(Filter filter, int offset, int limit) {
        DashboardConfig.Search settings = config.dashboard().search();
        int window = settings.window();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        String term = filter.text().toLowerCase(Locale.ROOT);
        JobCriteria narrowing = filter.narrowing();
        return storage.read(session -> {
            // the newest `window` jobs of the list's state (or of all jobs) end at the edge
            Optional<WindowEdge> edge = JobReads.windowEdge(session, narrowing, window, secondsLeft(deadline));
            // the stored text as read for showing; a superset of what is shown, checked below
            List<Long> candidates = JobReads.containing(session, narrowing, edge.orElse(null), term,
                    ShownText.ARGUMENTS_READ, ShownText.DATA_READ, window, secondsLeft(deadline));

            List<JobItem> page = new ArrayList<>(limit);
            long total = 0;
            for (List<Long> chunk : ShownJobs.chunks(candidates)) {
                for (Shown job : shownJobs.shown(session, chunk, true, new ShownText(shownJobs.redaction()),
                        secondsLeft(deadline))) {
                    if (job.searchable().stream().anyMatch(text -> text.toLowerCase(Locale.ROOT).contains(term))) {
                        if (total >= offset && page.size() < limit) {
                            page.add(job.item());
                        }
                        total++;
                    }
                }
            }
            return new JobList(page, total, false, offset, limit, DashboardQueries.MAX_OFFSET, null, new SearchScope(filter.text(), window,
                    edge.map(WindowEdge::olderExist).orElse(false)));
        });
    }

    /** The time left until {@code deadline}, for a query's timeout (whole seconds, at least 1). */
    private static int secondsLeft(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SearchTimedOut();
        }
        return (int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SearchTimedOut || t instanceof SQLTimeoutException
                    || t instanceof jakarta.persistence.QueryTimeoutException
                    || t instanceof org.hibernate.QueryTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                // 57014: cancelled (PostgreSQL, H2); 1969 and 3024: max_statement_time / max_execution_time (MariaDB, MySQL)
                if ("57014".equals(sql.getSQLState()) || sql.getErrorCode() == 57014 || sql.getErrorCode() == 1969
                        || sql.getErrorCode() == 3024) {
                    return true;
                }
            }
        }
        return false;
    }

    private static WebApplicationException refused(Response.Status status, int retryAfterSeconds, String message) {
        return new WebApplicationException(Response.status(status).header("Retry-After", retryAfterSeconds)
                .type(MediaType.APPLICATION_JSON_TYPE).entity(new DashboardViews.Error(message, null)).build());
    }

    /** The search ran past its timeout between two of its queries. */
    private static final class SearchTimedOut extends RuntimeException {
        SearchTimedOut() {
            super("search timed out", null, false, false);
        }
    }
}
