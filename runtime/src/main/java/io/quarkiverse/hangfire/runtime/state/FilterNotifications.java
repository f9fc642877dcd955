package io.quarkiverse.hangfire.runtime.state;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobStateChanged;
import io.quarkiverse.hangfire.runtime.filter.JobFilters;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.JobId;

/**
 * Tells the job filters ({@code onStateApplied}) and the {@code @ObservesAsync} observers of {@link JobStateChanged}
 * about every committed state change, creations included. Without filters or asynchronous observers it does nothing.
 */
@Singleton
public class FilterNotifications implements StateListener {

    @Inject
    JobFilters filters;

    @Inject
    Event<JobStateChanged> events;

    private final boolean observed;

    @Inject
    public FilterNotifications(BeanManager beans) {
        JobStateChanged sample = new JobStateChanged("0", "", "", null, JobState.ENQUEUED, null, Map.of(), null);
        this.observed = beans.resolveObserverMethods(sample).stream().anyMatch(ObserverMethod::isAsync);
    }

    @Override
    public void committed(StateChanges changes) {
        if (!observed && filters.isEmpty()) {
            return;
        }
        java.time.Instant now = JobClock.now();
        tell(changes.created(), true, now);
        tell(changes.changed(), false, now);
    }

    private void tell(List<Transition> transitions, boolean creations, java.time.Instant now) {
        for (Transition t : transitions) {
            JobStateChanged change = new JobStateChanged(JobId.format(t.job().id()), t.job().jobName(), t.job().queue(),
                    creations ? null : t.job().state(), t.to(), t.reason(), t.data() == null ? Map.of() : t.data(), now);
            filters.applied(change);
            if (observed) {
                events.fireAsync(change);
            }
        }
    }
}
