package io.quarkiverse.hangfire.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.StateRecord;

/** Waiting for and reading job states; generous bounds, because tests assert outcomes, not speed. */
final class JobAssertions {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private JobAssertions() {
    }

    static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static JobDetails details(JobScheduler jobs, String id) {
        return jobs.monitor().job(id).orElseThrow(() -> new AssertionError("job " + id + " not found"));
    }

    static JobDetails awaitState(JobScheduler jobs, String id, JobState state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> jobs.monitor().job(id).map(JobDetails::state).orElse(null) == state);
        return details(jobs, id);
    }

    /** The states of the history, oldest first. */
    static List<JobState> historyStates(JobDetails details) {
        return details.history().stream().map(StateRecord::state).collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> { java.util.Collections.reverse(l); return l; }));
    }
}
