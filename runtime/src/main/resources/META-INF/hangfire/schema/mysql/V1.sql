-- Quarkus Hangfire schema, version 1, for MySQL 8.0+ and MariaDB 10.6+.
-- ${prefix} is the table prefix (quarkus.hangfire.table-prefix, default hangfire_).
-- Times are UTC. No foreign keys: they would add locks to the hot path, and the code keeps rows consistent.

CREATE TABLE IF NOT EXISTS ${prefix}job (
    id BIGINT NOT NULL AUTO_INCREMENT,
    job_name VARCHAR(200) NOT NULL,
    queue VARCHAR(50) NOT NULL,
    arguments LONGTEXT NOT NULL,
    state VARCHAR(20) NOT NULL,
    state_reason VARCHAR(500) NULL,
    state_changed_at DATETIME(6) NOT NULL,
    attempt INT NOT NULL,
    retry_count INT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    scheduled_at DATETIME(6) NULL,
    expire_at DATETIME(6) NULL,
    parent_id BIGINT NULL,
    continuation_option VARCHAR(20) NULL,
    PRIMARY KEY (id),
    -- lists and counts by state, newest first
    INDEX ix_${prefix}job_state (state, state_changed_at),
    -- the scheduler's due-job scan
    INDEX ix_${prefix}job_scheduled (state, scheduled_at),
    -- the expiration manager's scan
    INDEX ix_${prefix}job_expire (expire_at),
    -- continuations of a parent
    INDEX ix_${prefix}job_parent (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The hot table: one row per enqueued or running job. A row with no owner waits for a worker, a claimed
-- row carries its server and the time its lease runs out.
CREATE TABLE IF NOT EXISTS ${prefix}job_queue (
    id BIGINT NOT NULL AUTO_INCREMENT,
    job_id BIGINT NOT NULL,
    queue VARCHAR(50) NOT NULL,
    enqueued_at DATETIME(6) NOT NULL,
    owner VARCHAR(200) NULL,
    lease_until DATETIME(6) NULL,
    PRIMARY KEY (id),
    UNIQUE INDEX ux_${prefix}job_queue_job (job_id),
    -- the fetch: WHERE queue = ? AND owner IS NULL ORDER BY id
    INDEX ix_${prefix}job_queue_fetch (queue, owner, id),
    -- lease renewal by owner, and the scan for expired leases
    INDEX ix_${prefix}job_queue_lease (owner, lease_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}job_state (
    id BIGINT NOT NULL AUTO_INCREMENT,
    job_id BIGINT NOT NULL,
    state VARCHAR(20) NOT NULL,
    reason VARCHAR(500) NULL,
    created_at DATETIME(6) NOT NULL,
    data LONGTEXT NULL,
    PRIMARY KEY (id),
    INDEX ix_${prefix}job_state_job (job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}job_parameter (
    id BIGINT NOT NULL AUTO_INCREMENT,
    job_id BIGINT NOT NULL,
    name VARCHAR(100) NOT NULL,
    param_value LONGTEXT NULL,
    PRIMARY KEY (id),
    UNIQUE INDEX ux_${prefix}job_parameter (job_id, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}server (
    id VARCHAR(200) NOT NULL,
    queues VARCHAR(1000) NOT NULL,
    workers INT NOT NULL,
    started_at DATETIME(6) NOT NULL,
    last_heartbeat DATETIME(6) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}recurring_job (
    id VARCHAR(200) NOT NULL,
    job_name VARCHAR(200) NOT NULL,
    arguments LONGTEXT NOT NULL,
    cron VARCHAR(200) NOT NULL,
    time_zone VARCHAR(100) NOT NULL,
    queue VARCHAR(50) NOT NULL,
    misfire VARCHAR(20) NOT NULL,
    paused BOOLEAN NOT NULL,
    next_execution DATETIME(6) NULL,
    last_execution DATETIME(6) NULL,
    last_job_id BIGINT NULL,
    error VARCHAR(1000) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_${prefix}recurring_job_next (next_execution)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}lock (
    name VARCHAR(200) NOT NULL,
    owner VARCHAR(200) NOT NULL,
    expire_at DATETIME(6) NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Statistics: appended rows, aggregated in the background, so no row is hot.
CREATE TABLE IF NOT EXISTS ${prefix}counter (
    id BIGINT NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) NOT NULL,
    amount BIGINT NOT NULL,
    expire_at DATETIME(6) NULL,
    PRIMARY KEY (id),
    INDEX ix_${prefix}counter_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}schema (
    version INT NOT NULL,
    installed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Records this version, so that schema.create=false accepts a schema applied by hand or by Flyway.
INSERT INTO ${prefix}schema (version, installed_at) VALUES (1, CURRENT_TIMESTAMP);
