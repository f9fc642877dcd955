package io.quarkiverse.hangfire.runtime.storage.entity;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A running background job server and its last heartbeat. Table name without the prefix, which is added at boot. */
@Entity
@Table(name = "server")
public class ServerEntity {

    @Id
    @Column(name = "id", updatable = false)
    private String id;

    @Column(name = "queues")
    private String queues;

    @Column(name = "workers")
    private int workers;

    @Column(name = "started_at")
    private LocalDateTime startedAt;

    @Column(name = "last_heartbeat")
    private LocalDateTime lastHeartbeat;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getQueues() {
        return queues;
    }

    public void setQueues(String queues) {
        this.queues = queues;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public LocalDateTime getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(LocalDateTime startedAt) {
        this.startedAt = startedAt;
    }

    public LocalDateTime getLastHeartbeat() {
        return lastHeartbeat;
    }

    public void setLastHeartbeat(LocalDateTime lastHeartbeat) {
        this.lastHeartbeat = lastHeartbeat;
    }
}
