package io.quarkiverse.hangfire.testing;

import java.util.List;

import io.quarkiverse.hangfire.JobCall;
import io.quarkiverse.hangfire.JobScheduler;

/**
 * Helps an application's own tests check the jobs its code creates, in the manner of Oban's {@code Oban.Testing}:
 * inject it into a {@code @QuarkusTest} ({@code @Inject JobTesting testing}).
 * <p>
 * Switch the server off for those tests ({@code quarkus.hangfire.server.enabled=false}, in the {@code %test}
 * profile or a {@code QuarkusTestProfile}'s config overrides): jobs then stay enqueued, so a test can first assert
 * what was enqueued, with which arguments, without running anything, and then run the jobs when it chooses, in its
 * own thread, with {@link #runEnqueuedJobs()}.
 *
 * <pre>
 * signup.register("ada@example.com");
 * testing.assertEnqueued(MailJobs.class, m -&gt; m.sendWelcome("ada@example.com"));
 * testing.runEnqueuedJobs();   // the welcome mail, then its continuations
 * </pre>
 * <p>
 * Arguments compare as stored: two arguments are equal when their JSON is ({@code BigDecimal} scale and
 * {@code ZonedDateTime} zone included); sensitive arguments are decrypted for the comparison. Every method reads
 * committed data, or joins the caller's transaction. The methods that run or delete jobs work only in tests (launch
 * mode {@code TEST}) and throw an {@link IllegalStateException} in a production or dev-mode application.
 */
public interface JobTesting {

    /**
     * Asserts that an enqueued job is this call: the same job method with equal arguments. Returns the id of the
     * oldest such job.
     *
     * @throws AssertionError when there is none; its message lists the enqueued calls of that job method
     */
    <T> String assertEnqueued(Class<T> jobClass, JobCall<T> call);

    /**
     * Asserts that no enqueued job is this call.
     *
     * @throws AssertionError naming the ids of those that are
     */
    <T> void assertNotEnqueued(Class<T> jobClass, JobCall<T> call);

    /** The ids of the enqueued jobs that are this call, oldest first. */
    <T> List<String> enqueued(Class<T> jobClass, JobCall<T> call);

    /**
     * Runs every enqueued job now, oldest first, in the calling thread (as {@link JobScheduler#perform} does), then
     * whatever those runs enqueued (continuations whose parent finished, jobs created by jobs), until no job is
     * enqueued. Returns how many runs there were. A failed attempt is scheduled for its retry as usual and not run
     * again here; {@link #runEnqueuedAndScheduledJobs()} runs retries too.
     *
     * @throws IllegalStateException when this instance runs a server, whose workers would race the test for the
     *         jobs, or after 10,000 runs (a job that keeps enqueuing jobs)
     */
    int runEnqueuedJobs();

    /**
     * {@link #runEnqueuedJobs()}, also running scheduled jobs and the retries of failed attempts as if their time
     * had come, until no job is enqueued or scheduled: a job that keeps failing runs until its retries are spent.
     */
    int runEnqueuedAndScheduledJobs();

    /**
     * Deletes every job that is enqueued, scheduled or awaiting its parent (to the Deleted state, as
     * {@link JobScheduler#delete} does), so that a test starts from none pending. Returns how many.
     */
    int deletePendingJobs();
}
