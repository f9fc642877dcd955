package io.quarkiverse.hangfire.runtime.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.FanIn;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.storage.FanInStore;
import io.quarkiverse.hangfire.runtime.storage.FanInStore.Dependency;
import io.quarkiverse.hangfire.runtime.storage.FanInStore.FanInRow;
import io.quarkiverse.hangfire.runtime.storage.JobRow;
import io.quarkiverse.hangfire.runtime.storage.JobStore;

/**
 * Counts parents reaching a final state in the continuations that wait for several of them, and releases (or
 * deletes) a continuation once its condition is decided: in the transaction of the parent's change, under the lock of
 * the continuation's counter row, so that two parents finishing at the same moment are ordered, and the continuation
 * moves out of Awaiting once.
 */
@Singleton
public class FanInProgress {

    @Inject
    FanInStore fanIns;

    @Inject
    JobStore jobs;

    /** The transitions of the fan-in continuations that these moves decide. */
    List<Transition> track(Connection c, List<Transition> transitions) throws SQLException {
        Map<Long, JobState> finished = new HashMap<>();
        for (Transition t : transitions) {
            if (StateMachine.releasesContinuations(t)) {
                finished.put(t.job().id(), t.to());
            }
        }
        if (finished.isEmpty()) {
            return List.of();
        }
        List<Dependency> dependents = fanIns.dependents(c, finished.keySet());
        if (dependents.isEmpty()) {
            return List.of();
        }
        fanIns.delete(c, dependents.stream().map(Dependency::parentId).distinct().toList());
        Map<Long, int[]> deltas = new TreeMap<>();
        for (Dependency d : dependents) {
            int[] delta = deltas.computeIfAbsent(d.jobId(), k -> new int[2]);
            delta[finished.get(d.parentId()) == JobState.SUCCEEDED ? 0 : 1]++;
        }
        Map<Long, FanIn.Decision> decided = new TreeMap<>();
        for (FanInRow row : fanIns.lock(c, deltas.keySet())) {
            FanIn.Decision before = row.decision();
            FanInRow counted = row.plus(deltas.get(row.jobId())[0], deltas.get(row.jobId())[1]);
            fanIns.updateCounts(c, counted);
            if (before == FanIn.Decision.WAIT && counted.decision() != FanIn.Decision.WAIT) {
                decided.put(row.jobId(), counted.decision());
            }
        }
        List<Transition> released = new ArrayList<>();
        for (JobRow waiting : jobs.lockJobs(c, decided.keySet())) {
            if (waiting.state() == JobState.AWAITING) {
                released.add(transition(waiting, fanIns.read(c, waiting.id())));
            }
        }
        return released;
    }

    /** What a waiting fan-in continuation becomes once its counters decided it; null while they do not. */
    public static Transition transition(JobRow job, FanInRow row) {
        String counts = row.succeeded() + " of " + row.total() + " parent jobs succeeded, " + row.deleted() + " deleted";
        return switch (row.decision()) {
            case RELEASE -> Transition.to(job, JobState.ENQUEUED, "Continuation (" + row.fanIn() + "): " + counts);
            case DELETE -> Transition.to(job, JobState.DELETED, "Continuation condition " + row.fanIn() + " was not met: "
                    + counts);
            case WAIT -> null;
        };
    }
}
