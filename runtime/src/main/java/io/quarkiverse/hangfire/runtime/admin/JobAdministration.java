package io.quarkiverse.hangfire.runtime.admin;

import java.util.Collection;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobs;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.state.Transition;

/**
 * The operator's actions, as the dashboard and other admin tools take them: on many jobs at once (each batch in
 * one transaction, reporting which jobs changed) and on recurring jobs. The public {@code JobScheduler} keeps the
 * application's one-job API; this is the internal surface for tools that act on what they list.
 */
@Singleton
public class JobAdministration {

    @Inject
    StateMachine states;

    @Inject
    RecurringJobs recurring;

    @Inject
    io.quarkiverse.hangfire.runtime.storage.QueuePauses pauses;

    /** Deletes the jobs in {@code expectedState} (any, if null); returns those deleted. */
    public List<Long> deleteAll(Collection<Long> ids, JobState expectedState) {
        return states.changeAll(ids, expectedState, Transition::deleteRequested);
    }

    /** Requeues the jobs in {@code expectedState} (any, if null); returns those requeued. */
    public List<Long> requeueAll(Collection<Long> ids, JobState expectedState) {
        return states.changeAll(ids, expectedState, Transition::requeueRequested);
    }

    /**
     * Enqueues now the Scheduled and Awaiting jobs among {@code ids} that are in {@code expectedState} (either, if
     * null); returns those enqueued.
     */
    public List<Long> enqueueNowAll(Collection<Long> ids, JobState expectedState) {
        return states.changeAll(ids, expectedState, Transition::enqueueNowRequested);
    }

    /** Creates a job from the recurring job now, leaving its schedule alone; the new job's id. */
    public String triggerRecurring(String id) {
        return recurring.trigger(id);
    }

    /** Pauses the recurring job: it creates no jobs until resumed. */
    public void pauseRecurring(String id) {
        recurring.pause(id);
    }

    /** Pauses a queue on every server until {@code until} (null: until resumed), naming who paused it. */
    public void pauseQueue(String queue, java.time.Instant until, String by) {
        pauses.pause(queue, until, by);
    }

    /** Lifts a queue's pause; returns false when it was not paused. */
    public boolean resumeQueue(String queue) {
        return pauses.resume(queue);
    }

    /** Resumes a paused recurring job from its next occurrence. */
    public void resumeRecurring(String id) {
        recurring.resume(id);
    }
}
