package io.quarkiverse.hangfire;

/** No job with the given id exists (it never did, or it expired and was removed). */
public class JobNotFoundException extends IllegalArgumentException {
    private final String jobId;

    public JobNotFoundException(String jobId) {
        super("No background job with id '" + jobId + "' exists (it may have expired and been removed)");
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
