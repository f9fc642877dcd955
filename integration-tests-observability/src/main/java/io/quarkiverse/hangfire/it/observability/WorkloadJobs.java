package io.quarkiverse.hangfire.it.observability;

import io.quarkiverse.hangfire.BackgroundJob;

/** The jobs of the known workload the metrics test runs. */
public class WorkloadJobs {

    @BackgroundJob(name = "workload.quick", retries = 0)
    public void quick(long sleepMillis) throws InterruptedException {
        Thread.sleep(sleepMillis);
    }

    /** Fails its first attempt, succeeds its retry. */
    @BackgroundJob(name = "workload.flaky", retries = 1, retryDelays = "PT0S")
    public void flaky(io.quarkiverse.hangfire.JobContext context) {
        if (context.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
        }
    }

    @BackgroundJob(name = "workload.broken", retries = 0)
    public void broken() {
        throw new IllegalArgumentException("always fails");
    }

    /** In a queue no server of this app serves: it waits there, for the backlog gauges. */
    @BackgroundJob(name = "workload.waiting", queue = "unserved")
    public void waiting() {
    }

    /** Enqueued outside any request, by the tracing test (kept apart from the metrics test's workload). */
    @BackgroundJob(name = "workload.plain")
    public void plain() {
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    /** Queries the database itself, as a job's own work does: its JDBC span belongs beneath the attempt's span. */
    @BackgroundJob(name = "workload.queries", retries = 0)
    public void queries() throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM hangfire_server")) {
            rs.next();
        }
    }

    /**
     * Blocked: its creation is refused by {@link BlockingFilter} while {@link BlockingFilter#BLOCKED} is set, so a
     * recurring job of it stays due and late.
     */
    @BackgroundJob(name = "workload.blocked", queue = "unserved")
    public void blocked() {
    }

    /** The span current in each attempt of {@link #traced}, by attempt. */
    public static final java.util.Map<Integer, String> TRACED_SPANS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Enqueued by a web request; fails its first attempt, succeeds its retry. */
    @BackgroundJob(name = "workload.traced", retries = 1, retryDelays = "PT0S")
    public void traced(io.quarkiverse.hangfire.JobContext context) {
        TRACED_SPANS.put(context.attempt(), io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId());
        if (context.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
        }
    }
}
