package io.quarkiverse.hangfire.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs the scenarios in order (ceilings, enqueue, then with a server process: drain, second-server pickup,
 * scheduled lateness; then local pickup in a process of its own; then, only when asked for, the growth curve of
 * {@link Growth}), each with a warm-up that is not counted and
 * {@code --runs} measured runs on a reset database, and writes the report.
 */
final class Driver {

    private static final List<String> HANGFIRE_TABLES = List.of("hangfire_job", "hangfire_job_state",
            "hangfire_job_parameter", "hangfire_counter", "hangfire_lock", "hangfire_job_unique", "hangfire_queue_pause",
            "hangfire_rate_limit", "hangfire_batch");

    private final JobScheduler jobs;
    private final AgroalDataSource ds;
    private final Options o;
    private final Map<String, Figure> figures = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String product;
    private List<String> dbProcesses;
    private final Latency latency;
    private final int httpPort;
    private final StorageDrain storageDrain;

    Driver(JobScheduler jobs, AgroalDataSource ds, jakarta.transaction.TransactionManager transactions, Options o,
            int httpPort, StorageDrain storageDrain) {
        this.jobs = jobs;
        this.storageDrain = storageDrain;
        this.ds = ds;
        this.o = o;
        this.httpPort = httpPort;
        this.latency = new Latency(jobs, transactions, 1_000_000_000L);
    }

    int run() throws Exception {
        try (Connection c = ds.getConnection()) {
            product = c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        }
        String lower = product.toLowerCase();
        dbProcesses = lower.contains("postgres") ? List.of("postgres")
                : lower.contains("h2") ? null : List.of("mariadbd", "mysqld");
        describeEnvironment();
        environment.forEach((k, v) -> log("%-28s %s", k, v));
        Ceilings ceilings = new Ceilings(ds, product, dbProcesses);
        ceilings.createTables();
        String only = o.only();

        if (only.contains("ceilings")) {
            ceilings(ceilings);
        }
        if (only.contains("enqueue")) {
            enqueue();
        }
        if (only.contains("batch")) {
            batch();
        }
        if (only.contains("drain")) {
            // before the server process starts: nobody else may claim these jobs
            storageDrain();
        }
        if (only.contains("drain") || only.contains("remote-pickup") || only.contains("scheduled")) {
            reset();
            Path probes = Files.createTempFile("bench-probes", ".txt");
            Process server = startChild("server", probes, null);
            try {
                if (only.contains("drain")) {
                    drain(server, false);
                    drain(server, true);
                }
                if (only.contains("remote-pickup")) {
                    remotePickup(probes);
                }
                if (only.contains("scheduled")) {
                    scheduled(probes);
                }
            } finally {
                stop(server);
            }
        }
        if (only.matches("(^|.*,)pickup(,.*|$)")) {
            localPickup();
        }
        List<Growth.Point> growth = only.contains("growth") ? growth() : null;
        Report report = new Report(o, environment, figures);
        report.print();
        Path base = report.write(Path.of(o.text("results", "bench/results")), o.db());
        if (growth != null) {
            Path plot = Path.of(base + "-growth.svg");
            GrowthPlot.write(plot, "Growth curve, " + product + ", " + environment.get("date"), growth,
                    o.growthScheduled());
            System.out.println("Growth curve plotted in " + plot);
        }
        return 0;
    }

    // ---- scenarios ----

    private void ceilings(Ceilings ceilings) throws Exception {
        log("ceilings: (a) %d single-row insert+commit, (b)/(c) a SKIP LOCKED queue of %d rows, 2 threads",
                o.ceilingInserts(), o.ceilingQueue());
        Figure a = figure("ceiling", "a_insert_commit", "rows/s");
        Figure b = figure("ceiling", "b_queue_commit_each", "rows/s");
        Figure c = figure("ceiling", "c_queue_commit_batch", "rows/s");
        Figure bCpu = figure("ceiling", "b_cpu_db", "ms/1000 rows");
        Figure cCpu = figure("ceiling", "c_cpu_db", "ms/1000 rows");
        ceilings.reset();
        ceilings.insertCommit(Math.max(100, o.ceilingInserts() / 10));
        ceilings.queueDrain(Math.max(500, o.ceilingQueue() / 10), 2, false);
        for (int run = 0; run < o.runs(); run++) {
            ceilings.reset();
            a.add(ceilings.insertCommit(o.ceilingInserts()));
            ceilings.reset();
            b.add(ceilings.queueDrain(o.ceilingQueue(), 2, false));
            bCpu.add(ceilings.lastDrainDbCpuPer1000(o.ceilingQueue()));
            ceilings.reset();
            c.add(ceilings.queueDrain(o.ceilingQueue(), 2, true));
            cCpu.add(ceilings.lastDrainDbCpuPer1000(o.ceilingQueue()));
            log("  run %d: a %.0f/s, b %.0f/s, c %.0f/s", run + 1, a.runs.get(run), b.runs.get(run), c.runs.get(run));
        }
        ceilings.reset();
    }

    private void enqueue() throws Exception {
        long self = ProcessHandle.current().pid();
        Figure single = figure("enqueue", "single_1_thread", "jobs/s").against("ceiling.a_insert_commit");
        Figure threaded = figure("enqueue", "single_" + o.enqueueThreads() + "_threads", "jobs/s")
                .against("ceiling.a_insert_commit");
        Figure batch = figure("enqueue", "batch_" + o.enqueueBatch(), "jobs/s").against("ceiling.a_insert_commit");
        // a unique key per job (all distinct, so each call creates one): the cost of the key's row beside the plain one
        Figure unique = figure("enqueue", "single_1_thread_unique", "jobs/s").against("ceiling.a_insert_commit");
        Figure singleCpuJvm = figure("enqueue", "single_1_thread_cpu_jvm", "ms/1000 jobs");
        Figure singleCpuDb = figure("enqueue", "single_1_thread_cpu_db", "ms/1000 jobs");
        Figure batchCpuJvm = figure("enqueue", "batch_cpu_jvm", "ms/1000 jobs");
        Figure batchCpuDb = figure("enqueue", "batch_cpu_db", "ms/1000 jobs");
        log("enqueue: %d single from 1 thread, %d from %d threads, %d in batches of %d (no server running)",
                o.singleEnqueues(), o.threadedEnqueues(), o.enqueueThreads(), o.batchEnqueues(), o.enqueueBatch());
        reset();
        enqueueSingle(500, 1);
        enqueueSingle(800, o.enqueueThreads());
        enqueueBatches(Math.max(o.enqueueBatch(), o.batchEnqueues() / 10));
        for (int run = 0; run < o.runs(); run++) {
            reset();
            Cpu.ofPid(self);
            long jvm = Cpu.ofPid(self);
            Map<Long, Long> db = Cpu.database(dbProcesses);
            single.add(enqueueSingle(o.singleEnqueues(), 1));
            singleCpuJvm.add((Cpu.ofPid(self) - jvm) * 1000.0 / o.singleEnqueues());
            singleCpuDb.add(Cpu.databaseSince(db, dbProcesses) * 1000.0 / o.singleEnqueues());
            reset();
            threaded.add(enqueueSingle(o.threadedEnqueues(), o.enqueueThreads()));
            reset();
            jvm = Cpu.ofPid(self);
            db = Cpu.database(dbProcesses);
            batch.add(enqueueBatches(o.batchEnqueues()));
            batchCpuJvm.add((Cpu.ofPid(self) - jvm) * 1000.0 / o.batchEnqueues());
            batchCpuDb.add(Cpu.databaseSince(db, dbProcesses) * 1000.0 / o.batchEnqueues());
            reset();
            unique.add(enqueueUnique(o.singleEnqueues(), run));
            log("  run %d: single %.0f/s, %d threads %.0f/s, batch %.0f/s, single unique %.0f/s", run + 1,
                    single.runs.get(run), o.enqueueThreads(), threaded.runs.get(run), batch.runs.get(run), unique.runs.get(run));
        }
        reset();
    }

    /**
     * One call that creates {@code --batch-jobs} jobs: {@code enqueueAll} of all of them, then a batch of as many
     * ({@code b.enqueueAll} inside {@code jobs.batch}), each in one transaction, no server running; time and CPU of each.
     */
    private void batch() throws Exception {
        long self = ProcessHandle.current().pid();
        int n = o.batchJobs();
        Figure all = figure("batch", "enqueue_all_" + n, "ms");
        Figure batch = figure("batch", "batch_" + n, "ms");
        Figure allCpuJvm = figure("batch", "enqueue_all_cpu_jvm", "ms/1000 jobs");
        Figure allCpuDb = figure("batch", "enqueue_all_cpu_db", "ms/1000 jobs");
        Figure batchCpuJvm = figure("batch", "batch_cpu_jvm", "ms/1000 jobs");
        Figure batchCpuDb = figure("batch", "batch_cpu_db", "ms/1000 jobs");
        List<Integer> items = IntStream.range(0, n).boxed().toList();
        log("batch: %d jobs created by one enqueueAll call, then by one batch call (no server running)", n);
        reset();
        jobs.enqueueAll(BenchJobs.class, items.subList(0, Math.min(n, 10_000)), (j, i) -> j.noop());
        reset();
        jobs.batch(b -> b.enqueueAll(BenchJobs.class, items.subList(0, Math.min(n, 10_000)), (j, i) -> j.noop()));
        for (int run = 0; run < o.runs(); run++) {
            reset();
            long jvm = Cpu.ofPid(self);
            Map<Long, Long> db = Cpu.database(dbProcesses);
            long start = System.nanoTime();
            jobs.enqueueAll(BenchJobs.class, items, (j, i) -> j.noop());
            all.add((System.nanoTime() - start) / 1e6);
            allCpuJvm.add((Cpu.ofPid(self) - jvm) * 1000.0 / n);
            allCpuDb.add(Cpu.databaseSince(db, dbProcesses) * 1000.0 / n);
            reset();
            jvm = Cpu.ofPid(self);
            db = Cpu.database(dbProcesses);
            start = System.nanoTime();
            jobs.batch("bench", b -> b.enqueueAll(BenchJobs.class, items, (j, i) -> j.noop()));
            batch.add((System.nanoTime() - start) / 1e6);
            batchCpuJvm.add((Cpu.ofPid(self) - jvm) * 1000.0 / n);
            batchCpuDb.add(Cpu.databaseSince(db, dbProcesses) * 1000.0 / n);
            log("  run %d: enqueueAll %.0f ms, batch %.0f ms", run + 1, all.runs.get(run), batch.runs.get(run));
        }
        reset();
    }

    /** {@code n} enqueues, each its own transaction, spread over {@code threads}; jobs per second. */
    private double enqueueSingle(int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = n / threads + (t < n % threads ? 1 : 0);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        jobs.enqueue(BenchJobs.class, BenchJobs::noop);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code n} enqueues from one thread, each with a unique key of its own; jobs per second. */
    private double enqueueUnique(int n, int run) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            jobs.enqueue(BenchJobs.class, BenchJobs::noop, io.quarkiverse.hangfire.JobOptions.none().unique("bench-" + run + "-" + i));
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** {@code n} jobs through enqueueAll, one transaction per batch; jobs per second. */
    private double enqueueBatches(int n) {
        long start = System.nanoTime();
        for (int from = 0; from < n; from += o.enqueueBatch()) {
            List<Integer> items = IntStream.range(from, Math.min(n, from + o.enqueueBatch())).boxed().toList();
            jobs.enqueueAll(BenchJobs.class, items, (j, i) -> j.noop());
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The drain of no-op jobs; with {@code transactional}, of transactional no-op jobs, each run in a JTA transaction
     * of its own that records its success (scenario {@code drain_transactional}, beside the plain one).
     */
    private void drain(Process server, boolean transactional) throws Exception {
        int n = o.drainJobs();
        String scenario = transactional ? "drain_transactional" : "drain";
        log("%s: %d %sno-op jobs committed at once to an idle server process (pid %d)", scenario, n,
                transactional ? "transactional " : "", server.pid());
        // warm-up: the server's hot path compiled by the JIT, as in a server that has run for a while. Two drains of
        // 10,000 jobs left the JIT compiling through the next five runs (its threads took half the JVM's CPU and
        // competed with the database for the two cores), so the plain drain warms up on --drain-warm-up-jobs; the
        // transactional one, 15 times slower and not a target, on two half drains
        int warmUpJobs = transactional ? 2 * Math.max(1000, n / 2) : o.drainWarmUpJobs();
        measureDrains(scenario, "ceiling.b_queue_commit_each", warmUpJobs,
                jobs -> drainOnce(jobs, server.pid(), transactional));
    }

    /**
     * The drain's claims and completions made by the server's storage transactions from this process, nothing else
     * of the server running ({@link StorageDrain}): jobs per second against ceiling (c), and its CPU.
     */
    private void storageDrain() throws Exception {
        long self = ProcessHandle.current().pid();
        log("drain_storage: %d no-op jobs committed at once, claimed and completed by the server's storage"
                + " transactions from this process, two threads, no worker", o.drainJobs());
        // the same warm-up as the drain's
        measureDrains("drain_storage", "ceiling.c_queue_commit_batch", o.drainWarmUpJobs(),
                jobs -> storageDrainOnce(jobs, self));
    }

    /** One drain of {@code n} jobs: jobs per second, JVM and database CPU ms per 1000 jobs, the JIT's share. */
    private interface DrainRun {
        double[] drain(int n) throws Exception;
    }

    /**
     * Drains of N/2 jobs until {@code warmUpJobs} have run, not counted, then {@code --runs} measured drains of N
     * jobs, each on a reset database: the scenario's rate (against {@code ceiling}) and CPU figures.
     */
    private void measureDrains(String scenario, String ceiling, int warmUpJobs, DrainRun once) throws Exception {
        int n = o.drainJobs();
        Figure rate = figure(scenario, "drain", "jobs/s").against(ceiling);
        Figure cpuJvm = figure(scenario, "cpu_jvm", "ms/1000 jobs");
        Figure cpuDb = figure(scenario, "cpu_db", "ms/1000 jobs");
        Figure cpuTotal = figure(scenario, "cpu_total", "ms/1000 jobs");
        Figure cpuJit = figure(scenario, "cpu_jvm_jit", "ms/1000 jobs");
        int half = Math.max(1000, n / 2);
        for (int drained = 0; drained < warmUpJobs; drained += half) {
            reset();
            once.drain(half);
        }
        for (int run = 0; run < o.runs(); run++) {
            reset();
            double[] r = once.drain(n);
            rate.add(r[0]);
            cpuJvm.add(r[1]);
            cpuDb.add(r[2]);
            cpuTotal.add(r[1] + r[2]);
            cpuJit.add(r[3]);
            log("  run %d: %.0f jobs/s, CPU per 1000 jobs: JVM %.0f ms (JIT %.0f), database %.0f ms", run + 1, r[0], r[1],
                    r[3], r[2]);
        }
        reset();
    }

    private double[] storageDrainOnce(int n, long self) throws Exception {
        enqueueNoops(n, false);
        Cpu.Window cpu = new Cpu.Window(self, dbProcesses);
        double[] drained = storageDrain.drain();
        double[] used = cpu.per1000(n);
        long succeeded = count("SELECT COUNT(*) FROM hangfire_job WHERE state = 'SUCCEEDED'");
        if (drained[0] != n || succeeded != n) {
            throw new IllegalStateException("drain_storage: " + succeeded + " of " + n + " jobs succeeded");
        }
        return new double[] { n / drained[1], used[0], used[1], used[2] };
    }

    /** Commits {@code n} no-op jobs in one transaction, then brings the planner's statistics up to date if needed. */
    private void enqueueNoops(int n, boolean transactional) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int from = 0; from < n; from += 1000) {
                List<Integer> items = IntStream.range(from, Math.min(n, from + 1000)).boxed().toList();
                if (transactional) {
                    jobs.enqueueAll(BenchJobs.class, items, (j, i) -> j.noopInTransaction());
                } else {
                    jobs.enqueueAll(BenchJobs.class, items, (j, i) -> j.noop());
                }
            }
            analyzeWithoutAutovacuum();
        });
    }

    /** Returns jobs per second, JVM and database CPU milliseconds per 1000 jobs, and the JVM's JIT share of it. */
    private double[] drainOnce(int n, long serverPid, boolean transactional) throws Exception {
        enqueueNoops(n, transactional);
        Cpu.Window cpu = new Cpu.Window(serverPid, dbProcesses);
        long deadline = System.currentTimeMillis() + 600_000;
        // an existence check on the claim index, not a count: polling must not add a scan to the database's CPU
        while (count("SELECT COUNT(*) FROM (SELECT 1 FROM hangfire_job WHERE state IN ('ENQUEUED', 'PROCESSING') LIMIT 1) q")
                > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the drain did not finish in 10 minutes");
            }
            Latency.sleep(100);
        }
        double[] used = cpu.per1000(n);
        long succeeded = count("SELECT COUNT(*) FROM hangfire_job WHERE state = 'SUCCEEDED'");
        if (succeeded != n) {
            throw new IllegalStateException("drain: " + succeeded + " of " + n + " jobs succeeded");
        }
        // the first claim: a job that succeeds keeps its Processing state in its row (schema version 5), not in the history
        Instant first = instant("SELECT MIN(claimed_at) FROM hangfire_job");
        Instant last = instant("SELECT MAX(state_changed_at) FROM hangfire_job WHERE state = 'SUCCEEDED'");
        double seconds = Duration.between(first, last).toNanos() / 1e9;
        return new double[] { n / seconds, used[0], used[1], used[2] };
    }

    private List<Growth.Point> growth() throws Exception {
        List<Long> sizes = Growth.sizes(o);
        log("growth: drain of %d jobs, %d single enqueues and the dashboard at %s finished jobs, %d scheduled waiting",
                o.growthDrainJobs(), o.growthEnqueues(), sizes, o.growthScheduled());
        reset();
        Process server = startChild("server", null, null);
        try {
            Growth growth = new Growth(jobs, ds, withoutAutovacuum(), o, this::figure, httpPort);
            growth.warmUp();
            reset();
            return growth.run();
        } finally {
            stop(server);
            reset();
        }
    }

    private void remotePickup(Path probes) throws Exception {
        log("second-server pickup: one probe every %d ms for %d s, enqueued here, run by the server process",
                o.pickupIntervalMillis(), o.pickupSeconds());
        reset();
        Latency.latencies(latency.enqueueSteadily(3, o.pickupIntervalMillis()), () -> readProbes(probes));
        addPercentiles("remote_pickup", o.runs(), run -> Latency.latencies(
                latency.enqueueSteadily(o.pickupSeconds(), o.pickupIntervalMillis()), () -> readProbes(probes)));
        reset();
    }

    private void scheduled(Path probes) throws Exception {
        int n = o.scheduledJobs();
        log("scheduled lateness: %d probes due over %d s", n, o.scheduledSpreadSeconds());
        reset();
        addPercentiles("scheduled", o.runs(), run -> {
            long base = Probes.nowMicros() + 3_000_000L;
            long spread = o.scheduledSpreadSeconds() * 1_000_000L;
            Map<Long, Long> due = new LinkedHashMap<>();
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < n; i++) {
                    long s = 2_000_000_000L + run * 1_000_000L + i;
                    long at = base + spread * i / n;
                    due.put(s, at);
                    jobs.schedule(BenchJobs.class, j -> j.probe(s), Instant.ofEpochSecond(at / 1_000_000, (at % 1_000_000) * 1000));
                }
            });
            Latency.sleep(Math.max(0, (base + spread) / 1000 - System.currentTimeMillis()) + 1500);
            return Latency.latencies(due, () -> readProbes(probes));
        });
        reset();
    }

    private void localPickup() throws Exception {
        log("local pickup: one probe every %d ms for %d s, enqueued by the server process itself",
                o.pickupIntervalMillis(), o.pickupSeconds());
        reset();
        Path out = Files.createTempFile("bench-local", ".txt");
        Process child = startChild("pickup-local", null, out);
        if (child.waitFor() != 0) {
            throw new IllegalStateException("the pickup-local process failed; see bench/target/bench-pickup-local.log");
        }
        Map<Integer, List<Double>> byRun = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] parts = line.split(" ");
            byRun.computeIfAbsent(Integer.parseInt(parts[0]), k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
        }
        addPercentiles("local_pickup", o.runs(), run -> byRun.getOrDefault(run, List.of()));
        reset();
    }

    private interface RunLatencies {
        List<Double> run(int run) throws Exception;
    }

    private void addPercentiles(String scenario, int runs, RunLatencies each) throws Exception {
        Figure p50 = figure(scenario, "p50", "ms");
        Figure p90 = figure(scenario, "p90", "ms");
        Figure p99 = figure(scenario, "p99", "ms");
        Figure max = figure(scenario, "max", "ms");
        for (int run = 0; run < runs; run++) {
            List<Double> values = each.run(run);
            p50.add(Figure.percentile(values, 50));
            p90.add(Figure.percentile(values, 90));
            p99.add(Figure.percentile(values, 99));
            max.add(Figure.percentile(values, 100));
            log("  run %d: %d samples, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", run + 1, values.size(),
                    p50.runs.get(run), p90.runs.get(run), p99.runs.get(run), max.runs.get(run));
        }
    }

    // ---- processes ----

    private Process startChild(String mode, Path probes, Path out) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Dbench.mode=" + mode);
        cmd.add("-Dquarkus.hangfire.server.enabled=true");
        String profile = System.getProperty("quarkus.profile");
        if (profile != null) {
            cmd.add("-Dquarkus.profile=" + profile);
        }
        if (probes != null) {
            cmd.add("-Dbench.probe-file=" + probes);
        }
        if (out != null) {
            cmd.add("-Dbench.out=" + out);
        }
        knob(cmd, "quarkus.hangfire.server.workers", o.workers());
        knob(cmd, "quarkus.hangfire.server.poll-interval", o.pollInterval());
        knob(cmd, "quarkus.hangfire.server.fetch-batch-size", o.fetchBatch());
        knob(cmd, "quarkus.datasource.jdbc.max-size", o.poolSize());
        for (String extra : o.text("server-jvm-args", "").split(" ")) {
            if (!extra.isBlank()) {
                cmd.add(extra);
            }
        }
        cmd.add("-jar");
        cmd.add(jar());
        o.values.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        Path log = Path.of("bench/target/bench-" + mode + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (mode.equals("server")) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (count("SELECT COUNT(*) FROM hangfire_server WHERE id LIKE '%:" + process.pid() + ":%'") == 0) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the server process did not start; see " + log);
                }
                Latency.sleep(100);
            }
        }
        return process;
    }

    private static void knob(List<String> cmd, String key, String value) {
        if (!value.isBlank()) {
            cmd.add("-D" + key + "=" + value);
        }
    }

    private static String jar() {
        List<String> args = List.of(ProcessHandle.current().info().arguments().orElse(new String[0]));
        int i = args.indexOf("-jar");
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "bench/target/quarkus-app/quarkus-run.jar";
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    // ---- database ----

    /**
     * On a PostgreSQL server whose autovacuum is off (CI machines configured for speed), gathers the job table's
     * statistics in the current transaction, as autovacuum does in production once a table has changed by a tenth.
     * Without them the tables just emptied by {@link #reset()} stay planned as empty: the plans that the server's
     * connections cache for the claim and the completion read the whole table for each batch, and a drain of
     * 20,000 jobs slows down to a few thousand jobs a second, a different figure at each run. Run in the transaction
     * that enqueues the drain's jobs, so that the statistics count them and come with them at the commit.
     */
    private void analyzeWithoutAutovacuum() {
        if (!withoutAutovacuum()) {
            return;
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ANALYZE hangfire_job");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the database is a PostgreSQL server whose autovacuum is off (read once, with the environment). */
    private boolean withoutAutovacuum() {
        return "off".equals(environment.get("db.autovacuum"));
    }

    private void reset() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String table : HANGFIRE_TABLES) {
                st.execute("TRUNCATE TABLE " + table);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Instant instant(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    private Map<Long, Long> readProbes(Path probes) {
        try {
            return Probes.read(probes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Figure figure(String scenario, String name, String unit) {
        return figures.computeIfAbsent(scenario + "." + name, k -> new Figure(scenario, name, unit));
    }

    private void describeEnvironment() throws Exception {
        environment.put("date", Instant.now().toString());
        environment.put("machine.cpu", cpuModel());
        environment.put("machine.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        environment.put("machine.memory", memTotal());
        environment.put("machine.loadavg-at-start", Files.readString(Path.of("/proc/loadavg")).trim());
        environment.put("machine.os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        environment.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        environment.put("jvm.args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        environment.put("database", product);
        String lower = product.toLowerCase();
        List<String> settings = lower.contains("postgres")
                ? List.of("synchronous_commit", "fsync", "shared_buffers", "wal_level", "max_connections", "autovacuum")
                : lower.contains("h2") ? List.of()
                        : List.of("innodb_flush_log_at_trx_commit", "sync_binlog", "log_bin", "innodb_buffer_pool_size",
                                "innodb_autoinc_lock_mode", "innodb_doublewrite", "innodb_flush_method", "tx_isolation");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : settings) {
                String sql = lower.contains("postgres") ? "SHOW " + s : "SELECT @@" + s;
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    environment.put("db." + s, rs.getString(1));
                } catch (SQLException e) {
                    environment.put("db." + s, "?");
                }
            }
        }
        environment.put("server.workers", o.workers().isBlank() ? "default (min(cores*5, 20))" : o.workers());
        environment.put("server.poll-interval", o.pollInterval().isBlank() ? "default (500ms)" : o.pollInterval());
        environment.put("server.fetch-batch-size", o.fetchBatch().isBlank() ? "default (200)" : o.fetchBatch());
        environment.put("datasource.max-size", o.poolSize().isBlank() ? "20" : o.poolSize());
        environment.put("options", o.values.toString());
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    private static String memTotal() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
