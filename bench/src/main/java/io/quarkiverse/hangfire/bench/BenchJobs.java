package io.quarkiverse.hangfire.bench;

import io.quarkiverse.hangfire.BackgroundJob;

/** The jobs the benchmark runs: nothing, so that only the job system is measured. */
public class BenchJobs {

    /** The drain and enqueue scenarios. */
    @BackgroundJob(retries = 0)
    public void noop() {
    }

    /**
     * The drain of transactional jobs: nothing, in a transaction that records the job's success before it commits
     * (what {@code transactional = true} costs beside the plain drain).
     */
    @BackgroundJob(retries = 0, transactional = true)
    public void noopInTransaction() {
    }

    /** The latency scenarios: notes when the method starts, for the probe {@code seq}. */
    @BackgroundJob(retries = 0)
    public void probe(long seq) {
        Probes.started(seq);
    }
}
