-- Quarkus Hangfire schema, version 2, for MySQL 8.0+ and MariaDB 10.6+: the lines a job writes to its log
-- through JobContext.log, shown with the job on the dashboard.

CREATE TABLE IF NOT EXISTS ${prefix}job_log (
    id BIGINT NOT NULL AUTO_INCREMENT,
    job_id BIGINT NOT NULL,
    attempt INT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    line TEXT NOT NULL,
    PRIMARY KEY (id),
    INDEX ix_${prefix}job_log_job (job_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO ${prefix}schema (version, installed_at) VALUES (2, CURRENT_TIMESTAMP);
