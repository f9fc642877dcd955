package io.quarkiverse.hangfire.runtime.storage.entity;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A background job: its call and its current state; the history is in {@link JobStateEntity}. Table name without the prefix, which is added at boot. */
@Entity
@Table(name = "job")
public class JobEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id", updatable = false)
    private Long id;

    @Column(name = "job_name")
    private String jobName;

    @Column(name = "queue")
    private String queue;

    @Column(name = "arguments")
    private String arguments;

    @Column(name = "state")
    private String state;

    @Column(name = "state_reason")
    private String stateReason;

    @Column(name = "state_changed_at")
    private LocalDateTime stateChangedAt;

    @Column(name = "attempt")
    private int attempt;

    @Column(name = "retry_count")
    private int retryCount;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "scheduled_at")
    private LocalDateTime scheduledAt;

    @Column(name = "expire_at")
    private LocalDateTime expireAt;

    @Column(name = "parent_id")
    private Long parentId;

    @Column(name = "continuation_option")
    private String continuationOption;

    /** The priority slot within the queue, lower first (read only: jobs are written with SQL). */
    @Column(name = "priority", insertable = false, updatable = false)
    private int priority;

    /** When the job, not started by then, is deleted (read only). */
    @Column(name = "deadline", insertable = false, updatable = false)
    private LocalDateTime deadline;

    /** The unique key the job was created with (read only). */
    @Column(name = "unique_key", insertable = false, updatable = false)
    private String uniqueKey;

    /** The batch the job belongs to, or null (read only). */
    @Column(name = "batch_id", insertable = false, updatable = false)
    private Long batchId;

    /** When the job entered its queue, the order within a priority slot (read only). */
    @Column(name = "enqueued_at", insertable = false, updatable = false)
    private LocalDateTime enqueuedAt;

    /** The queue of an Enqueued job, which the claim index is on; null while the job does not wait (read only). */
    @Column(name = "waiting_queue", insertable = false, updatable = false)
    private String waitingQueue;

    /** The server that holds the job's claim, while it is Processing (read only). */
    @Column(name = "owner", insertable = false, updatable = false)
    private String owner;

    /** How many of the job's latest states its row stands for, not yet in the history (read only). */
    @Column(name = "history_pending", insertable = false, updatable = false)
    private int historyPending;

    /** When the latest claim took the job (read only). */
    @Column(name = "claimed_at", insertable = false, updatable = false)
    private LocalDateTime claimedAt;

    /** The data of the current state while the history lacks it, a success's (read only). */
    @Column(name = "state_data", insertable = false, updatable = false)
    private String stateData;

    /** When the claim's lease runs out, while the job is Processing (read only). */
    @Column(name = "lease_until", insertable = false, updatable = false)
    private LocalDateTime leaseUntil;

    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public String getArguments() {
        return arguments;
    }

    public void setArguments(String arguments) {
        this.arguments = arguments;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getStateReason() {
        return stateReason;
    }

    public void setStateReason(String stateReason) {
        this.stateReason = stateReason;
    }

    public LocalDateTime getStateChangedAt() {
        return stateChangedAt;
    }

    public void setStateChangedAt(LocalDateTime stateChangedAt) {
        this.stateChangedAt = stateChangedAt;
    }

    public int getAttempt() {
        return attempt;
    }

    public void setAttempt(int attempt) {
        this.attempt = attempt;
    }

    public int getRetryCount() {
        return retryCount;
    }

    public void setRetryCount(int retryCount) {
        this.retryCount = retryCount;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(LocalDateTime createdAt) {
        this.createdAt = createdAt;
    }

    public LocalDateTime getScheduledAt() {
        return scheduledAt;
    }

    public void setScheduledAt(LocalDateTime scheduledAt) {
        this.scheduledAt = scheduledAt;
    }

    public LocalDateTime getExpireAt() {
        return expireAt;
    }

    public void setExpireAt(LocalDateTime expireAt) {
        this.expireAt = expireAt;
    }

    public Long getParentId() {
        return parentId;
    }

    public void setParentId(Long parentId) {
        this.parentId = parentId;
    }

    public String getContinuationOption() {
        return continuationOption;
    }

    public void setContinuationOption(String continuationOption) {
        this.continuationOption = continuationOption;
    }

    public int getPriority() {
        return priority;
    }

    public LocalDateTime getEnqueuedAt() {
        return enqueuedAt;
    }

    public String getOwner() {
        return owner;
    }

    public LocalDateTime getLeaseUntil() {
        return leaseUntil;
    }

    public int getHistoryPending() {
        return historyPending;
    }

    public LocalDateTime getClaimedAt() {
        return claimedAt;
    }

    public String getStateData() {
        return stateData;
    }

    public LocalDateTime getDeadline() {
        return deadline;
    }

    public String getUniqueKey() {
        return uniqueKey;
    }

    public Long getBatchId() {
        return batchId;
    }
}
