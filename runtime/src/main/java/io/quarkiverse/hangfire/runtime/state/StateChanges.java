package io.quarkiverse.hangfire.runtime.state;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.quarkiverse.hangfire.JobState;

/**
 * What one batch of state changes did, as {@link StateListener}s are told after its commit.
 *
 * @param created the first states of jobs just created (each transition's job is already in that state)
 * @param changed the jobs moved to another state (each transition's job is as it was before the move)
 * @param revokedClaims the claims (queue row ids) of jobs taken out of Processing by someone else than the server
 *        that holds them (deleted or requeued, for example): their runs must stop, and their results are dropped
 */
public record StateChanges(List<Transition> created, List<Transition> changed, List<Long> revokedClaims) {

    static StateChanges creations(List<Transition> firsts) {
        return new StateChanges(List.copyOf(firsts), List.of(), List.of());
    }

    static StateChanges changes(List<Transition> transitions, List<Long> revokedClaims) {
        return new StateChanges(List.of(), List.copyOf(transitions), List.copyOf(revokedClaims));
    }

    /** Whether a job was created in, or moved to, the Enqueued state: a worker may now find it in its queue. */
    public boolean enqueuedAny() {
        return created.stream().anyMatch(t -> t.to() == JobState.ENQUEUED)
                || changed.stream().anyMatch(t -> t.to() == JobState.ENQUEUED);
    }

    /** The queues in which this batch created or enqueued jobs, each once; empty when it enqueued none. */
    public Set<String> enqueuedQueues() {
        Set<String> queues = new TreeSet<>();
        for (List<Transition> transitions : List.of(created, changed)) {
            for (Transition t : transitions) {
                if (t.to() == JobState.ENQUEUED) {
                    queues.add(t.job().queue());
                }
            }
        }
        return queues;
    }
}
