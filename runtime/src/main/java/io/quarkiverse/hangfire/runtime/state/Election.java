package io.quarkiverse.hangfire.runtime.state;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.quarkiverse.hangfire.JobFilter;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobRow;

/**
 * One transition as the job filters see it at state election: each may replace the candidate, and {@link #elected()}
 * is the transition that is applied. A failed attempt elected away from Failed keeps its failure in the history, as
 * a state traversed on the way.
 */
final class Election implements JobFilter.StateElection {

    private final Transition proposed;
    private Transition elected;

    Election(Transition proposed) {
        this.proposed = proposed;
        this.elected = proposed;
    }

    Transition elected() {
        return elected;
    }

    @Override
    public String jobId() {
        return JobId.format(proposed.job().id());
    }

    @Override
    public String jobName() {
        return proposed.job().jobName();
    }

    @Override
    public String queue() {
        return proposed.job().queue();
    }

    @Override
    public JobState from() {
        return proposed.job().state();
    }

    @Override
    public JobState candidate() {
        return elected.to();
    }

    @Override
    public String reason() {
        return elected.reason();
    }

    @Override
    public Map<String, String> data() {
        return elected.data() == null ? Map.of() : elected.data();
    }

    @Override
    public int retryCount() {
        return proposed.job().retryCount();
    }

    @Override
    public boolean isRetryOfFailure() {
        return elected.traversed() != null && elected.traversed().state() == JobState.FAILED
                && elected.to() != JobState.FAILED;
    }

    @Override
    public void changeTo(JobState state, String reason) {
        Objects.requireNonNull(state, "state");
        if (state == JobState.SCHEDULED || state == JobState.AWAITING || state == JobState.PROCESSING) {
            throw new IllegalArgumentException("A job filter cannot elect " + state + " for job " + jobId()
                    + " with changeTo: only ENQUEUED, SUCCEEDED, FAILED or DELETED (use scheduleAt for SCHEDULED)");
        }
        Transition.Traversed onTheWay = elected.traversed();
        if (state == JobState.FAILED && onTheWay != null && onTheWay.state() == JobState.FAILED) {
            // a retry elected away: the job ends Failed with the failure's data, recorded once
            elected = Transition.to(elected.job(), JobState.FAILED, reason).withData(onTheWay.data())
                    .withRetryCount(elected.retryCount());
            return;
        }
        replace(Transition.to(elected.job(), state, reason), state == JobState.FAILED ? elected.data() : Map.of());
    }

    @Override
    public void enqueueOn(String queue, String reason) {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("A job filter elected an empty queue for job " + jobId());
        }
        JobRow moved = elected.job().inQueue(queue);
        replace(Transition.to(moved, JobState.ENQUEUED, reason), Map.of());
    }

    @Override
    public void scheduleAt(Instant at, String reason) {
        Objects.requireNonNull(at, "at");
        replace(Transition.toScheduled(elected.job(), at, reason), null);
    }

    /** Replaces the candidate, keeping the retry count change and the failure on the way. */
    private void replace(Transition next, Map<String, String> data) {
        Transition t = data == null ? next : next.withData(data);
        t = t.withRetryCount(elected.retryCount());
        Transition.Traversed failure = elected.traversed() != null ? elected.traversed()
                : elected.to() == JobState.FAILED && t.to() != JobState.FAILED
                        ? new Transition.Traversed(JobState.FAILED, elected.reason(), elected.data())
                        : null;
        elected = failure == null ? t : t.through(failure.state(), failure.reason(), failure.data());
    }
}
