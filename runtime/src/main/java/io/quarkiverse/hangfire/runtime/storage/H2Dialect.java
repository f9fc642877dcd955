package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2, the embedded default of the demo. An embedded H2 database belongs to one JVM, so a JVM lock is enough
 * to keep migrations apart.
 */
final class H2Dialect implements Dialect {

    private static final ReentrantLock SCHEMA_LOCK = new ReentrantLock();
    private final String description;

    H2Dialect(String description) {
        this.description = description;
    }

    @Override
    public String schemaFolder() {
        return "h2";
    }

    @Override
    public void lockSchema(Connection connection) {
        SCHEMA_LOCK.lock();
    }

    @Override
    public void unlockSchema(Connection connection) {
        SCHEMA_LOCK.unlock();
    }

    @Override
    public String describe() {
        return description;
    }

    /** H2 has no shared row lock; its duplicate checks lock nothing, so this upgrades no lock. */
    @Override
    public String forShare() {
        return " FOR UPDATE";
    }
}
