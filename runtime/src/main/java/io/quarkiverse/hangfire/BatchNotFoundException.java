package io.quarkiverse.hangfire;

/** No batch with the given id exists. */
public class BatchNotFoundException extends IllegalArgumentException {
    private final String batchId;

    public BatchNotFoundException(String batchId) {
        super("No batch with id '" + batchId + "' exists");
        this.batchId = batchId;
    }

    public String batchId() {
        return batchId;
    }
}
