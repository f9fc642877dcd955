package io.quarkiverse.hangfire;

import java.time.Instant;

/**
 * A batch and its progress, from counters kept with every state change of its members.
 *
 * @param parentBatchId the batch this one is nested in, or null
 * @param total its members: jobs and nested batches
 * @param succeeded members that succeeded
 * @param deleted members that were deleted
 * @param failed members that are failed now (waiting for a retry or a deletion)
 * @param awaitedBatchId the batch this continuation batch waits for, or null
 * @param continuationOption when this continuation batch is released, or null
 * @param expireAt when this finished batch is removed (once its jobs and nested batches are gone), or null while it
 *        has not finished
 */
public record BatchInfo(String id, String description, BatchState state, String parentBatchId, int total,
        int succeeded, int deleted, int failed, String awaitedBatchId, ContinuationOption continuationOption,
        Instant createdAt, Instant stateChangedAt, Instant expireAt) {

    /** Members in a final state (Succeeded or Deleted), in percent of all; 100 for an empty batch. */
    public int percentDone() {
        return total == 0 ? 100 : (int) ((succeeded + deleted) * 100L / total);
    }
}
