package io.quarkiverse.hangfire.runtime.storage.entity;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A named lock held by an owner until it expires. Table name without the prefix, which is added at boot. */
@Entity
@Table(name = "lock")
public class LockEntity {

    @Id
    @Column(name = "name", updatable = false)
    private String name;

    @Column(name = "owner")
    private String owner;

    @Column(name = "expire_at")
    private LocalDateTime expireAt;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public LocalDateTime getExpireAt() {
        return expireAt;
    }

    public void setExpireAt(LocalDateTime expireAt) {
        this.expireAt = expireAt;
    }
}
