package io.quarkiverse.hangfire;

/** A {@link JobFilter} cancelled the creation of a job: nothing was stored. */
public class JobCreationCancelledException extends IllegalStateException {

    private final String jobName;
    private final String reason;

    public JobCreationCancelledException(String jobName, String filter, String reason) {
        super("The creation of a '" + jobName + "' job was cancelled by job filter " + filter + ": " + reason);
        this.jobName = jobName;
        this.reason = reason;
    }

    /** The name of the job that was not created. */
    public String jobName() {
        return jobName;
    }

    /** The reason the filter gave. */
    public String reason() {
        return reason;
    }
}
