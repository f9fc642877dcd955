package io.quarkiverse.hangfire;

import java.time.Instant;
import java.util.Map;

/**
 * Hangfire's job filters, done the CDI way: a bean implementing this interface is called at each phase of every
 * job's life, and overrides only the phases it cares about. Filters are ordered by {@code @jakarta.annotation.Priority}
 * on the bean class, lower values first (no priority counts as 0); the phases that close a pair
 * ({@link #onCreated}, {@link #onPerformed}) run in the opposite order, as nested calls would.
 * <ul>
 * <li>{@link #onCreating}/{@link #onCreated}: around the creation of a job through {@link JobScheduler}, on the
 * caller's thread (in its request context, so a filter can read who asked), and of each job a recurring job creates,
 * on the recurring scheduler's thread (no request) or the caller's for a trigger;</li>
 * <li>{@link #onPerforming}/{@link #onPerformed}: around each attempt, on the worker's thread, inside the request
 * context the job method runs in (so a request-scoped tenant or security holder set here is the job's);</li>
 * <li>{@link #onStateElection}: before any job moves to a new state, in the transaction that moves it; it may elect
 * another state, as the built-in retry policy does;</li>
 * <li>{@link #onStateApplied}: once a state change committed.</li>
 * </ul>
 * Besides filters, every committed state change is fired as a CDI event {@link JobStateChanged}, to be observed with
 * {@code @ObservesAsync} (never on the committing thread).
 */
public interface JobFilter {

    /**
     * Before a job is stored: may add job parameters, or cancel the creation, which then throws
     * {@link JobCreationCancelledException} to the caller and stores nothing. An exception thrown here reaches the
     * caller too, and nothing is stored. For a recurring job's occurrence, cancelling skips that occurrence, and an
     * exception leaves the recurring job due with the error recorded, tried again at the scheduler's next pass.
     */
    default void onCreating(Creating job) {
    }

    /** Once the job's creation committed (after the caller's own transaction, if it made one). */
    default void onCreated(JobStateChanged created) {
    }

    /**
     * Before the job method runs. An exception thrown here fails the attempt (retried like any failure); the job
     * method does not run, the later filters' {@code onPerforming} neither, but {@code onPerformed} of those that
     * ran before still does.
     */
    default void onPerforming(JobContext job) {
    }

    /**
     * After the job method returned or threw ({@code failure} is then not null), before the outcome is recorded.
     * Called also when {@code onPerforming} of a later filter failed; an exception thrown here is logged and does not
     * change the outcome.
     */
    default void onPerformed(JobContext job, Throwable failure) {
    }

    /**
     * Before a job moves to {@link StateElection#candidate()}: may elect another state. Runs in the transaction that
     * applies the change, on the thread that applies it (a worker's outcome writer, the scheduler, a caller): keep it
     * quick and do not call {@link JobScheduler} from here. An exception thrown here is logged and leaves the
     * candidate as the filters before elected it.
     */
    default void onStateElection(StateElection election) {
    }

    /**
     * Once a state change committed, on the committing thread: must be quick (long work belongs in an
     * {@code @ObservesAsync} observer of {@link JobStateChanged} or in a job). An exception thrown here is logged.
     * Changes of one job committed on different threads may be heard out of order (a worker can claim a new job and
     * report it Processing before the creating thread has told of its creation): read
     * {@link JobStateChanged#from()} and {@link JobStateChanged#to()} rather than counting on the order of calls.
     */
    default void onStateApplied(JobStateChanged change) {
    }

    /** A job about to be created. */
    interface Creating {

        /** The job's name, as in {@link BackgroundJob#name()}. */
        String jobName();

        /** The queue it goes to. */
        String queue();

        /** The state it is created in: Enqueued, Scheduled or Awaiting (a continuation). */
        JobState state();

        /**
         * Stores a job parameter with the job, in the same transaction, readable by the job through
         * {@link JobContext#getParameter}; the value must be storable as JSON, as {@link JobScheduler#setJobParameter}
         * requires. A later filter sees and may overwrite it.
         */
        void setParameter(String name, Object value);

        /** The parameters set so far by earlier filters. */
        Map<String, Object> parameters();

        /** Cancels the creation: the caller gets a {@link JobCreationCancelledException} with this reason. */
        void cancel(String reason);
    }

    /** A state change about to be applied, whose target a filter may change. */
    interface StateElection {

        /** The job's id. */
        String jobId();

        /** The job's name. */
        String jobName();

        /** The queue the job is in. */
        String queue();

        /** The state the job leaves. */
        JobState from();

        /** The state the job is about to enter, as elected so far (by earlier filters too). */
        JobState candidate();

        /** Why, as the history will say. */
        String reason();

        /**
         * What the candidate state records; for a failed attempt the exception's {@code exceptionType},
         * {@code exceptionMessage} and {@code stackTrace}.
         */
        Map<String, String> data();

        /** How many times the job was retried so far (before this change). */
        int retryCount();

        /**
         * True when the candidate is a retry of a failed attempt (Scheduled or Enqueued, with the failure recorded on
         * the way); false when it is the job's end state after its last attempt failed, or not a failure at all.
         */
        boolean isRetryOfFailure();

        /**
         * Elects {@code state} instead: Enqueued (in the job's queue), Succeeded, Failed or Deleted. A failed attempt
         * whose Failed state is elected away is still recorded as Failed in the history, on the way.
         */
        void changeTo(JobState state, String reason);

        /** Elects Enqueued in another queue: the job moves there (a dead-letter queue, for example). */
        void enqueueOn(String queue, String reason);

        /** Elects Scheduled, due at {@code at}. */
        void scheduleAt(Instant at, String reason);
    }
}
