package io.quarkiverse.hangfire.it.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.quarkiverse.hangfire.JobScheduler;

/** What the cluster tests ask of a running process: enqueue jobs, and say that it is alive. */
@Path("/cluster")
public class ClusterResource {

    @Inject
    JobScheduler jobs;

    /**
     * Enqueues {@code count} jobs in one transaction and returns their ids. Job {@code i} sleeps
     * {@code millis[i % millis.size()]}; with {@code firstAttemptMillis}, it sleeps that long on its first
     * attempt instead. With {@code transactionalEvery} n > 0, every n-th job (the first included) is transactional
     * and inserts a row into {@code it_effect}; with {@code stubborn}, the jobs ignore cancellation (see
     * {@link ClusterJobs#stubborn}).
     */
    @POST
    @Path("/jobs")
    @Transactional
    public List<String> enqueue(@QueryParam("count") @DefaultValue("1") int count,
            @QueryParam("millis") List<Long> millis, @QueryParam("firstAttemptMillis") Long firstAttemptMillis,
            @QueryParam("transactionalEvery") @DefaultValue("0") int transactionalEvery,
            @QueryParam("stubborn") @DefaultValue("false") boolean stubborn) {
        if (count < 1 || millis.isEmpty()) {
            throw new BadRequestException("give count >= 1 and at least one millis");
        }
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sleep = millis.get(i % millis.size());
            boolean transactional = transactionalEvery > 0 && i % transactionalEvery == 0;
            if (stubborn) {
                ids.add(transactional ? jobs.enqueue(ClusterJobs.class, j -> j.stubbornInTransaction(sleep, null))
                        : jobs.enqueue(ClusterJobs.class, j -> j.stubborn(sleep, null)));
                continue;
            }
            if (transactional) {
                ids.add(jobs.enqueue(ClusterJobs.class, j -> j.workInTransaction(sleep, null)));
                continue;
            }
            ids.add(firstAttemptMillis == null
                    ? jobs.enqueue(ClusterJobs.class, j -> j.work(sleep, null))
                    : jobs.enqueue(ClusterJobs.class, j -> j.slowFirstAttempt(firstAttemptMillis, sleep, null)));
        }
        return ids;
    }

    /**
     * Creates a batch of {@code count} jobs (job {@code i} sleeps {@code millis[i % millis.size()]}) and a continuation
     * job of it; returns the batch id, then the continuation's id.
     */
    @POST
    @Path("/batch")
    public List<String> batch(@QueryParam("count") @DefaultValue("1") int count, @QueryParam("millis") List<Long> millis) {
        if (count < 1 || millis.isEmpty()) {
            throw new BadRequestException("give count >= 1 and at least one millis");
        }
        List<Long> sleeps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sleeps.add(millis.get(i % millis.size()));
        }
        String batch = jobs.batch("cluster batch of " + count, b -> b.enqueueAll(ClusterJobs.class, sleeps,
                (j, sleep) -> j.work(sleep, null)));
        String continuation = jobs.continueBatchWith(batch, ClusterJobs.class, j -> j.work(1, null));
        return List.of(batch, continuation);
    }

    /** Adds (or updates) the recurring jobs {@code race-0} to {@code race-<count-1>}, each a 1 ms job on {@code cron}. */
    @POST
    @Path("/recurring")
    public void addRecurring(@QueryParam("count") @DefaultValue("1") int count, @QueryParam("cron") String cron) {
        for (int i = 0; i < count; i++) {
            jobs.recurring().addOrUpdate("race-" + i, ClusterJobs.class, j -> j.work(1, null), cron);
        }
    }

    /** Removes the recurring jobs {@code race-0} to {@code race-<count-1>}. */
    @DELETE
    @Path("/recurring")
    public void removeRecurring(@QueryParam("count") @DefaultValue("1") int count) {
        for (int i = 0; i < count; i++) {
            jobs.recurring().removeIfExists("race-" + i);
        }
    }

    /**
     * {@code threads} threads each create the unique jobs {@code u-0} to {@code u-<keys-1>} {@code rounds} times over,
     * in an order of their own, all at once; returns every result as {@code "id:created"}.
     */
    @POST
    @Path("/unique")
    public List<String> unique(@QueryParam("keys") int keys, @QueryParam("threads") int threads,
            @QueryParam("rounds") int rounds) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> order = new ArrayList<>();
                for (int k = 0; k < keys; k++) {
                    order.add(Integer.toString(k));
                }
                java.util.Collections.shuffle(order);
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> results = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        for (String key : order) {
                            io.quarkiverse.hangfire.CreatedJob created = jobs.enqueue(ClusterJobs.class,
                                    j -> j.unique(key, null), io.quarkiverse.hangfire.JobOptions.none());
                            results.add(created.jobId() + ":" + created.created());
                        }
                    }
                    return results;
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (var f : futures) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Enqueues {@code count} rate limited jobs in one transaction. */
    @POST
    @Path("/rated")
    @Transactional
    public List<String> rated(@QueryParam("count") int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(jobs.enqueue(ClusterJobs.class, j -> j.rated(null)));
        }
        return ids;
    }

    /** Pauses a queue on every server ({@code until}: an ISO-8601 instant, or absent), or resumes it. */
    @POST
    @Path("/queues/{queue}/{action}")
    public void pause(@jakarta.ws.rs.PathParam("queue") String queue, @jakarta.ws.rs.PathParam("action") String action,
            @QueryParam("until") String until) {
        if (action.equals("pause")) {
            jobs.pauseQueue(queue, until == null ? null : java.time.Instant.parse(until));
        } else {
            jobs.resumeQueue(queue);
        }
    }

    /** Answers as long as the process runs, whether or not its database does. */
    @GET
    @Path("/health")
    public Map<String, Object> health() {
        return Map.of("status", "UP", "pid", ProcessHandle.current().pid());
    }
}
