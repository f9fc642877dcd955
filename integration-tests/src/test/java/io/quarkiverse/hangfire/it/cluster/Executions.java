package io.quarkiverse.hangfire.it.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkiverse.hangfire.it.cluster.ClusterDatabase.Execution;

/** The runs that the jobs recorded in it_execution, and the questions the cluster tests ask about them. */
final class Executions {

    private final Map<Long, List<Execution>> byJob = new TreeMap<>();
    private final Map<Long, Instant> endOfProcess;
    final int total;

    /**
     * {@code endOfProcess}: the processes that were killed or stopped, with the time they ended. A run without an
     * end in one of them ended then; a run without an end in a live process is still going.
     */
    Executions(List<Execution> executions, Map<Long, Instant> endOfProcess) {
        this.endOfProcess = Map.copyOf(endOfProcess);
        this.total = executions.size();
        for (Execution e : executions) {
            byJob.computeIfAbsent(e.jobId(), id -> new ArrayList<>()).add(e);
        }
        byJob.values().forEach(runs -> runs.sort(Comparator.comparing(Execution::startedAt)));
    }

    int jobs() {
        return byJob.size();
    }

    /** Jobs that ran more than once (allowed: delivery is at least once). */
    List<Long> jobsRunMoreThanOnce() {
        return byJob.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    List<Execution> runsOf(long jobId) {
        return byJob.getOrDefault(jobId, List.of());
    }

    /** Runs without an end, in processes that are still alive. */
    List<Execution> stillRunning() {
        return byJob.values().stream().flatMap(List::stream)
                .filter(e -> e.endedAt() == null && !endOfProcess.containsKey(e.pid())).toList();
    }

    /** Runs that ended without reporting it: they were in a process that was killed. */
    List<Execution> cutShort() {
        return byJob.values().stream().flatMap(List::stream)
                .filter(e -> e.endedAt() == null && endOfProcess.containsKey(e.pid())).toList();
    }

    /** Descriptions of every pair of runs of one job whose time intervals overlap: never allowed. */
    List<String> overlaps() {
        List<String> overlaps = new ArrayList<>();
        for (List<Execution> runs : byJob.values()) {
            for (int i = 1; i < runs.size(); i++) {
                Execution earlier = runs.get(i - 1);
                Execution later = runs.get(i);
                Instant earlierEnd = end(earlier);
                if (earlierEnd.isAfter(later.startedAt())) {
                    overlaps.add("job " + later.jobId() + ": run " + earlier.id() + " (pid " + earlier.pid() + ", attempt "
                            + earlier.attempt() + ", " + earlier.startedAt() + " to "
                            + (earlier.endedAt() == null ? "no recorded end" : earlier.endedAt()) + ") and run " + later.id()
                            + " (pid " + later.pid() + ", attempt " + later.attempt() + ", from " + later.startedAt() + ")");
                }
            }
        }
        return overlaps;
    }

    private Instant end(Execution e) {
        if (e.endedAt() != null) {
            return e.endedAt();
        }
        return endOfProcess.getOrDefault(e.pid(), Instant.MAX);
    }
}
