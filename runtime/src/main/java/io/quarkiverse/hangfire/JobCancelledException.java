package io.quarkiverse.hangfire;

/**
 * Thrown by {@link JobContext#throwIfCancellationRequested()} when a running job was cancelled. A job that
 * ends with it is not counted as failed: its new state was already decided by whoever cancelled it.
 */
public class JobCancelledException extends RuntimeException {
    public JobCancelledException(String message) {
        super(message);
    }
}
