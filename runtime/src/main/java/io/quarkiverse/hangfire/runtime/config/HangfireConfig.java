package io.quarkiverse.hangfire.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings read when the application starts. */
@ConfigMapping(prefix = "quarkus.hangfire")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface HangfireConfig {

    /**
     * How long a job that reached a final state (Succeeded or Deleted) is kept before it is removed. A finished batch is
     * kept as long, and then until its jobs are gone.
     */
    @WithDefault("24H")
    Duration jobExpiration();

    /**
     * On PostgreSQL, whether instances wake each other's servers with {@code LISTEN/NOTIFY} when they enqueue jobs,
     * so that a job enqueued by one instance starts on another within milliseconds rather than at its next poll.
     * Each running server then holds one connection of the pool to listen. Turn it off when connections go through
     * a pooler in transaction mode (PgBouncer), which does not deliver notifications; servers then find other
     * instances' jobs by polling alone, as on the other databases.
     */
    @WithDefault("true")
    boolean listenNotify();

    /**
     * Whether job methods run each attempt in a transaction on the jobs' datasource, committed together with their
     * success (see {@code @BackgroundJob(transactional)}, which overrides it per method). Every worker running such a
     * job holds a connection of the pool for the whole attempt: startup fails when the pool has fewer than
     * {@code quarkus.hangfire.server.workers} plus 4 connections (the server's own).
     */
    @WithDefault("false")
    boolean transactionalJobs();

    /** Schema management. */
    Schema schema();

    /** The background job server of this application instance. */
    Server server();

    /** Automatic retries of failed jobs, unless a job method says otherwise. */
    Retry retry();

    /** The most a caller may store with one job. */
    Limits limits();

    interface Limits {
        /**
         * The largest the arguments of one job may be, as stored: the JSON array of its arguments, in UTF-8 bytes.
         * A call that passes more ({@code enqueue}, {@code schedule}, {@code continueWith}, {@code enqueueAll}, a
         * recurring job's {@code addOrUpdate}) throws an {@code IllegalArgumentException} and stores nothing; for
         * {@code enqueueAll}, nothing of the batch. Pass a reference to large data (an id, a path) instead of the
         * data. Jobs stored before a lower limit was set still run. Suffixes K, M and G mean KiB, MiB and GiB.
         */
        @WithDefault("64K")
        MemorySize maxArgumentsSize();

        /**
         * The largest the value of one job parameter may be, as stored: its JSON, in UTF-8 bytes. A larger value
         * ({@code setJobParameter}, {@code JobContext.setParameter}) throws an {@code IllegalArgumentException}
         * and stores nothing; the parameter keeps its previous value.
         */
        @WithDefault("64K")
        MemorySize maxParameterSize();
    }

    /** The keys that encrypt the arguments of {@code @Sensitive} parameters. */
    Encryption encryption();

    interface Encryption {

        /**
         * The AES-256 keys that encrypt sensitive arguments, by key id:
         * `quarkus.hangfire.encryption.keys."2026-11"=<base64 of 32 random bytes>` (for example from
         * `openssl rand -base64 32`). Key ids have 1 to 64 letters, digits, `.`, `_` or `-`. Required when a job
         * method has sensitive parameters. Every stored value names the id of its key, so keep a key configured
         * until no job or recurring job written with it remains (see
         * xref:sensitive-arguments.adoc#_rotate_keys[key rotation]). Keep the values out of source control
         * (environment variables or a secret store).
         *
         * @asciidoclet
         */
        @ConfigDocMapKey("key-id")
        Map<String, String> keys();

        /**
         * The id of the key that encrypts new values. Required when several keys are configured; unset, the only
         * key.
         */
        Optional<String> activeKey();
    }

    /** Settings per queue, by queue name: {@code quarkus.hangfire.queue."reports".concurrency=2}. */
    @ConfigDocMapKey("queue-name")
    Map<String, Queue> queue();

    interface Queue {
        /** The most jobs of this queue that may run at once across all servers; further jobs wait in the queue. */
        @ConfigDocDefault("no limit")
        OptionalInt concurrency();

        /**
         * At most how many jobs of this queue start per window across all servers, as {@code count/ISO-8601 duration}
         * ({@code 20/PT1S}). The window slides; a job over the limit waits in the queue without failing.
         */
        @ConfigDocDefault("no limit")
        Optional<String> rateLimit();

        /** For this queue, instead of {@code quarkus.hangfire.health.oldest-enqueued-warning}. */
        Optional<Duration> oldestEnqueuedWarning();

        /** For this queue, instead of {@code quarkus.hangfire.health.oldest-enqueued-down}. */
        Optional<Duration> oldestEnqueuedDown();
    }

    /** The health checks, active when the application has the quarkus-smallrye-health extension. */
    Health health();

    interface Health {
        /**
         * Readiness names a queue whose oldest enqueued job (waiting, not running) has waited longer than this, and
         * stays UP. Unset: no warning. Per queue: {@code quarkus.hangfire.queue."reports".oldest-enqueued-warning}.
         */
        Optional<Duration> oldestEnqueuedWarning();

        /**
         * Readiness is DOWN while a queue's oldest enqueued job has waited longer than this. Unset: the backlog never
         * makes it DOWN. Per queue: {@code quarkus.hangfire.queue."reports".oldest-enqueued-down}.
         */
        Optional<Duration> oldestEnqueuedDown();

        /**
         * Liveness is DOWN when a process of the server (heartbeat, job fetch, ...) has been in one round for longer
         * than this and three of its intervals (a database call that hangs), or its thread died. It names the
         * process.
         */
        @WithDefault("60S")
        Duration stuckProcessAfter();

        /**
         * How long the storage check of readiness waits for the database before it reports it unreachable.
         */
        @WithDefault("5S")
        Duration storageTimeout();
    }

    /**
     * How often the counts by state and queue and the oldest enqueued job per queue, which the health checks and the
     * metrics' gauges read, are read again from the database: they all read one cached snapshot, never a query per
     * check or scrape.
     */
    @WithDefault("10S")
    Duration snapshotInterval();

    interface Schema {
        /**
         * Create or upgrade the tables at startup, under a database lock so that instances starting together
         * do not collide. When false, startup fails unless the tables are already at the expected version: you
         * then apply the scripts shipped in `META-INF/hangfire/schema/<database>/` yourself, with
         * xref:index.adoc#flyway[Flyway] (a location per database kind, the prefix a placeholder),
         * xref:index.adoc#liquibase[Liquibase] or by hand (see xref:index.adoc#_tables_and_schema[Tables and schema]).
         *
         * @asciidoclet
         */
        @WithDefault("true")
        boolean create();
    }

    interface Server {
        /**
         * Run jobs in this instance. Turn it off in instances that only create jobs; they still wake the
         * workers of other instances through the database.
         */
        @WithDefault("true")
        boolean enabled();

        /** How many jobs run at once in this instance. */
        @ConfigDocDefault("five per processor, at most 20")
        OptionalInt workers();

        /** The queues this instance serves, highest priority first. */
        @WithDefault("default")
        List<String> queues();

        /**
         * How often an idle instance looks for jobs enqueued by other instances. A job enqueued by this
         * instance wakes its own workers right after the commit, without waiting for the poll; on PostgreSQL, so
         * does a job enqueued by another instance (see {@code quarkus.hangfire.listen-notify}), and the poll only
         * catches what a lost notification missed.
         */
        @WithDefault("500ms")
        Duration pollInterval();

        /**
         * At most how many jobs one fetch claims. A fetch claims one job per idle worker; while the queues have a
         * backlog of short jobs it also claims jobs ahead of the workers, as many as they finish in about 100 ms,
         * up to this number. Larger claims cost the database less per job (on MariaDB, 200 drains short jobs half
         * again as fast as 50); jobs longer than a few milliseconds never reach it. See
         * xref:performance.adoc[Performance].
         *
         * @asciidoclet
         */
        @WithDefault("200")
        int fetchBatchSize();

        /**
         * How often scheduled jobs and retries that are due are moved to their queues, and due recurring jobs create
         * their occurrences (see xref:recurring.adoc[Recurring jobs]).
         *
         * @asciidoclet
         */
        @WithDefault("1s")
        Duration schedulerInterval();

        /**
         * How often this instance reports that it is alive and renews the leases of the jobs it runs. It also
         * sets how often each instance looks for dead servers and expired leases.
         */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /**
         * How long a claimed job stays reserved for its server without a lease renewal, and how long a server
         * may go without a heartbeat before the others declare it dead. The jobs of a server that crashed or
         * lost the database go back to their queues at most this long plus one heartbeat interval later. A
         * server that could not renew its leases for this long minus one heartbeat interval cancels its running
         * jobs first, so that they do not run twice at once (see xref:cluster.adoc[Running in a cluster]). Must be
         * at least three heartbeat intervals; startup fails otherwise.
         *
         * @asciidoclet
         */
        @WithDefault("30s")
        Duration leaseTimeout();

        /**
         * How often a server checks whether the jobs it runs were deleted or requeued elsewhere (by another
         * instance or the dashboard), so that their {@code JobContext} reports cancellation. Changes made in
         * this instance are seen at once.
         */
        @WithDefault("1s")
        Duration cancellationCheckInterval();

        /**
         * Whether a cancelled job's thread is also interrupted, so that a job blocked in I/O or a sleep stops
         * at once. Off by default: cooperative jobs check {@code JobContext.isCancellationRequested()}, and an
         * interrupt can break code that does not expect one. Jobs past their timeout and jobs still running at
         * the end of a shutdown are always interrupted.
         */
        @WithDefault("false")
        boolean interruptCancelledJobs();

        /** How often the raw statistics counters are merged into one row per counter. */
        @WithDefault("1m")
        Duration counterAggregationInterval();

        /** How often finished jobs (and batches) past their expiration time are removed. */
        @WithDefault("1m")
        Duration expirationCheckInterval();

        /** At most how many expired jobs one delete statement removes. */
        @WithDefault("1000")
        int expirationBatchSize();

        /**
         * How long shutdown waits for running jobs (renewing their leases meanwhile) before it cancels them,
         * interrupts their threads and returns them to their queues.
         */
        @WithDefault("30s")
        Duration shutdownTimeout();
    }

    interface Retry {
        /**
         * How many times a failed job is retried before it ends in the Failed state. {@code @BackgroundJob(retries)}
         * overrides it per method.
         */
        @WithDefault("10")
        int maxRetries();

        /**
         * Fixed delays between retries (the n-th retry waits the n-th delay, or the last one). Empty: Hangfire's
         * growing delay {@code (n-1)^4 + 15 + random(0..29) * n} seconds. {@code @BackgroundJob(retryDelays)}
         * overrides it per method.
         */
        @ConfigDocDefault("none")
        Optional<List<Duration>> delays();
    }

    /** The worker count in effect: configured, or five per processor and at most 20, as Hangfire does. */
    static int effectiveWorkers(Server server) {
        return server.workers().orElse(Math.min(Runtime.getRuntime().availableProcessors() * 5, 20));
    }
}
