package io.quarkiverse.hangfire.runtime.storage.entity;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An installed schema version. Table name without the prefix, which is added at boot. */
@Entity
@Table(name = "schema")
public class SchemaVersionEntity {

    @Id
    @Column(name = "version", updatable = false)
    private int version;

    @Column(name = "installed_at")
    private LocalDateTime installedAt;

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    public LocalDateTime getInstalledAt() {
        return installedAt;
    }

    public void setInstalledAt(LocalDateTime installedAt) {
        this.installedAt = installedAt;
    }
}
