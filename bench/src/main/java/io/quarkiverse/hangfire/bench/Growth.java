package io.quarkiverse.hangfire.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobSummary;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The growth curve: how the drain, the single enqueue and the dashboard behave as finished jobs pile up, as they do
 * in production between two expirations. Tables are filled through the public API only, so the scenario does not
 * depend on the storage layout: {@code --growth-scheduled} jobs scheduled a year ahead (waiting, never due), then,
 * for each of {@code --growth-sizes} in turn, no-op jobs enqueued with {@code enqueueAll} and run by the server
 * process until that many jobs have Succeeded. At each size it measures, in this order:
 * <ul>
 * <li>the dashboard's {@code api/stats} and the first page of Succeeded ({@code api/jobs?state=SUCCEEDED}), over
 * HTTP, {@code --growth-dashboard-calls} calls each after two not counted;</li>
 * <li>{@code --growth-enqueues} single enqueues from one thread, {@code --runs} times;</li>
 * <li>the drain of {@code --growth-drain-jobs} no-op jobs committed at once, {@code --runs} times, from the first
 * job that succeeded to the last (their state change times, read through {@code JobMonitor}).</li>
 * </ul>
 * The measured jobs stay stored too: a size is the number of finished jobs when its first measurement starts.
 * <p>
 * On PostgreSQL every claim and completion leaves a dead row version, and the fill runs jobs thousands of times faster
 * than production accumulates them. Before measuring a size the curve logs the dead row versions of the job table
 * and, when the server's {@code autovacuum} is off (as on CI machines configured for speed), vacuums the tables as
 * autovacuum would have in the days production takes to store that many jobs. With autovacuum on, it leaves the
 * tables to autovacuum, as production does.
 */
final class Growth {

    /** Makes (or finds) a figure of the report. */
    interface Figures {
        Figure figure(String scenario, String name, String unit);
    }

    /** What one size measured: medians, for the plot. */
    record Point(long finished, double drain, double enqueue, double statsMillis, double pageMillis) {
    }

    private static final int BATCH = 1000;
    private static final String USER = "bench";

    private final JobScheduler jobs;
    private final javax.sql.DataSource ds;
    /** The PostgreSQL server runs without autovacuum (the driver's {@code db.autovacuum}); false on other databases. */
    private final boolean withoutAutovacuum;
    private final Options o;
    private final Figures figures;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String dashboard;
    /** Jobs that reached Succeeded so far (every job here is a no-op without retries). */
    private long finished;

    /** {@code httpPort}: where this process serves its dashboard. */
    Growth(JobScheduler jobs, javax.sql.DataSource ds, boolean withoutAutovacuum, Options o, Figures figures, int httpPort) {
        this.jobs = jobs;
        this.ds = ds;
        this.withoutAutovacuum = withoutAutovacuum;
        this.o = o;
        this.figures = figures;
        this.dashboard = "http://127.0.0.1:" + httpPort + "/hangfire/api/";
    }

    /** The sizes of {@code --growth-sizes}, checked: numbers of finished jobs, ascending. */
    static List<Long> sizes(Options o) {
        List<Long> sizes = new ArrayList<>();
        for (String part : o.growthSizes().split(",")) {
            long size;
            try {
                size = Long.parseLong(part.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--growth-sizes takes numbers of finished jobs separated by commas,"
                        + " such as 0,100000,1000000; '" + part + "' is not a number");
            }
            if (size < 0 || (!sizes.isEmpty() && size <= sizes.get(sizes.size() - 1))) {
                throw new IllegalArgumentException("--growth-sizes must be ascending and not negative: " + o.growthSizes());
            }
            sizes.add(size);
        }
        return sizes;
    }

    /**
     * Runs the curve against the server process that runs the jobs, on tables that hold nothing yet (the JIT of
     * both processes warmed up by {@link #warmUp()} before the reset). Returns a point per size.
     */
    List<Point> run() throws Exception {
        List<Long> sizes = sizes(o);
        // the tables were emptied after the warm-up
        finished = 0;
        schedule(o.growthScheduled());
        List<Point> points = new ArrayList<>();
        for (long size : sizes) {
            fill(size);
            settle();
            String at = label(size);
            Figure stats = figures.figure("growth", "api_stats@" + at, "ms");
            Figure page = figures.figure("growth", "succeeded_page@" + at, "ms");
            Figure enqueue = figures.figure("growth", "single_enqueue@" + at, "jobs/s");
            Figure drain = figures.figure("growth", "drain@" + at, "jobs/s");
            time(stats, "stats");
            time(page, "jobs?state=SUCCEEDED");
            for (int run = 0; run < o.runs(); run++) {
                enqueue.add(enqueueSingle(o.growthEnqueues()));
                awaitDrained();
                drain.add(drainOnce(o.growthDrainJobs()));
            }
            Driver.log("  %s finished jobs: api/stats %.1f ms, Succeeded page %.1f ms, single enqueue %.0f jobs/s,"
                    + " drain %.0f jobs/s (medians)", at, stats.median(), page.median(), enqueue.median(), drain.median());
            points.add(new Point(size, drain.median(), enqueue.median(), stats.median(), page.median()));
        }
        return points;
    }

    /**
     * Runs the measured paths, not counted: enqueues, drains of {@code --drain-warm-up-jobs} in all (as the drain
     * scenario does, so that the JIT does not compile during the first size's runs and understate it) and the
     * dashboard's two calls.
     */
    void warmUp() throws Exception {
        enqueueSingle(Math.max(100, o.growthEnqueues() / 4));
        awaitDrained();
        int warmUpDrain = Math.max(1000, o.growthDrainJobs() / 2);
        for (int drained = 0; drained < o.drainWarmUpJobs(); drained += warmUpDrain) {
            drainOnce(warmUpDrain);
        }
        time(null, "stats");
        time(null, "jobs?state=SUCCEEDED");
    }

    /** "0", "100k", "1M": sizes as figure names and plot labels. */
    static String label(long size) {
        if (size >= 1_000_000 && size % 1_000_000 == 0) {
            return size / 1_000_000 + "M";
        }
        if (size >= 1_000 && size % 1_000 == 0) {
            return size / 1_000 + "k";
        }
        return Long.toString(size);
    }

    /** Schedules {@code n} no-op jobs a year ahead, a thousand per transaction. */
    private void schedule(int n) {
        if (n == 0) {
            return;
        }
        long start = System.nanoTime();
        Instant due = Instant.now().plus(Duration.ofDays(365));
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < count; i++) {
                    jobs.schedule(BenchJobs.class, BenchJobs::noop, due);
                }
            });
        }
        Driver.log("growth: %d jobs scheduled a year ahead in %.0f s", n, (System.nanoTime() - start) / 1e9);
    }

    /** Runs no-op jobs until {@code size} jobs have finished, if fewer have. */
    private void fill(long size) throws Exception {
        long missing = size - finished;
        if (missing <= 0) {
            Driver.log("growth: %d jobs finished already (size %s)", finished, label(size));
            return;
        }
        long start = System.nanoTime();
        for (long from = 0; from < missing; from += BATCH) {
            int count = (int) Math.min(BATCH, missing - from);
            jobs.enqueueAll(BenchJobs.class, IntStream.range(0, count).boxed().toList(), (j, i) -> j.noop());
        }
        awaitDrained();
        finished += missing;
        Driver.log("growth: %d more jobs run in %.0f s, %d finished", missing, (System.nanoTime() - start) / 1e9, finished);
    }

    /**
     * On PostgreSQL: logs the dead row versions the fill left in the job table and, when autovacuum is off on this
     * server, vacuums the tables that state changes rewrite (see the class comment).
     */
    private void settle() throws Exception {
        try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
            if (!c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
                return;
            }
            // other sessions report their counts at most once a second: wait until the fill's are in
            Thread.sleep(1500);
            long live = 0;
            long dead = 0;
            try (java.sql.ResultSet rs = st.executeQuery(
                    "SELECT n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'hangfire_job'")) {
                if (rs.next()) {
                    live = rs.getLong(1);
                    dead = rs.getLong(2);
                }
            }
            if (!withoutAutovacuum) {
                Driver.log("growth: job table %d live, %d dead row versions; autovacuum is on and left to run", live, dead);
                return;
            }
            long start = System.nanoTime();
            c.setAutoCommit(true);
            st.execute("VACUUM (ANALYZE) hangfire_job, hangfire_job_state, hangfire_counter");
            Driver.log("growth: job table %d live, %d dead row versions; autovacuum is off on this server, so vacuumed"
                    + " as it would have been (%.1f s)", live, dead, (System.nanoTime() - start) / 1e9);
        }
    }

    /** {@code n} enqueues from one thread, each its own transaction, while the server runs them; jobs per second. */
    private double enqueueSingle(int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            jobs.enqueue(BenchJobs.class, BenchJobs::noop);
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        finished += n;
        return rate;
    }

    /**
     * Commits {@code n} no-op jobs at once and waits until the server ran them; returns jobs per second from the
     * first to succeed to the last, by their state change times.
     */
    private double drainOnce(int n) throws Exception {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int from = 0; from < n; from += BATCH) {
                int count = Math.min(BATCH, n - from);
                jobs.enqueueAll(BenchJobs.class, IntStream.range(0, count).boxed().toList(), (j, i) -> j.noop());
            }
        });
        awaitDrained();
        finished += n;
        // newest first: the last of the batch to succeed is on top, the first is n - 1 further down
        Instant last = succeededAt(0);
        Instant first = succeededAt(n - 1);
        return (n - 1) / (Duration.between(first, last).toNanos() / 1e9);
    }

    private Instant succeededAt(int offset) {
        List<JobSummary> page = jobs.monitor().jobs(JobState.SUCCEEDED, offset, 1).jobs();
        if (page.isEmpty()) {
            throw new IllegalStateException("growth: no Succeeded job at offset " + offset);
        }
        return page.get(0).stateChangedAt();
    }

    /** Waits until no job is enqueued or processing, checking every quarter of a second. */
    private void awaitDrained() {
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (jobs.monitor().jobs(JobState.ENQUEUED, 0, 1).total() + jobs.monitor().jobs(JobState.PROCESSING, 0, 1).total() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("growth: the server did not run the jobs within an hour");
            }
            Latency.sleep(250);
        }
        // Failed jobs would stay out of the count above and make the sizes wrong
        long failed = jobs.monitor().jobs(JobState.FAILED, 0, 1).total();
        if (failed > 0) {
            throw new IllegalStateException("growth: " + failed + " jobs failed; see bench/target/bench-server.log");
        }
    }

    /** Calls {@code api/<path>} twice, then {@code --growth-dashboard-calls} times into {@code figure} (ms each). */
    private void time(Figure figure, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((USER + ":" + USER).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        int calls = figure == null ? 2 : 2 + o.growthDashboardCalls();
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("growth: api/" + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            if (figure != null && i >= 2) {
                figure.add(millis);
            }
        }
    }
}
