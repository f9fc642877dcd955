package io.quarkiverse.hangfire.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobCancelledException;
import io.quarkiverse.hangfire.JobContext;

/**
 * Jobs with database effects, for the exactly-once tests (ExactlyOnceTest): transactional ones that insert a row of
 * {@link Effects} in their transaction, and a plain one whose late write the server refuses. A job waiting at a gate
 * lets the test change its claim meanwhile, as another server taking the job over would.
 */
public class EffectJobs {

    /** Gates by key: arrived when the job reached it, open when the test lets it go on. */
    public record Gate(CountDownLatch arrived, CountDownLatch open) {
    }

    public static final Map<String, Gate> GATES = new ConcurrentHashMap<>();
    /** The writes the server refused, as "key:token". */
    public static final List<String> REFUSED = new CopyOnWriteArrayList<>();

    @Inject
    Effects effects;

    public static Gate gate(String key) {
        return GATES.computeIfAbsent(key, k -> new Gate(new CountDownLatch(1), new CountDownLatch(1)));
    }

    @BackgroundJob(transactional = true, retries = 0)
    public void insert(String key, JobContext context) {
        effects.insert(key, context);
    }

    @BackgroundJob(transactional = true, retries = 0)
    public void insertThenFail(String key, JobContext context) {
        effects.insert(key, context);
        throw new IllegalStateException("failed after its insert");
    }

    @BackgroundJob(transactional = true, retries = 0)
    public void insertThenWait(String key, JobContext context) throws InterruptedException {
        effects.insert(key, context);
        await(key);
    }

    @BackgroundJob(retries = 0)
    public void waitThenLog(String key, JobContext context) throws InterruptedException {
        await(key);
        try {
            context.log("written after the gate by attempt " + context.attempt());
        } catch (JobCancelledException e) {
            REFUSED.add(key + ":" + context.fencingToken());
            throw e;
        }
    }

    private static void await(String key) throws InterruptedException {
        Gate gate = gate(key);
        gate.arrived().countDown();
        if (!gate.open().await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate " + key + " never opened");
        }
    }
}
