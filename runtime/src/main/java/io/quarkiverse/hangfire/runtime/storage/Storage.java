package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs storage work in transactions on the application's datasource, through the Hibernate session of the
 * default persistence unit, so that the native SQL of the hot path and the entity queries share one
 * connection and one transaction.
 */
@Singleton
public class Storage {

    private static final Logger LOG = Logger.getLogger(Storage.class);

    /** SQL work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @Inject
    Session session;

    @Inject
    TransactionSynchronizationRegistry synchronizations;

    private final Tables tables;
    private volatile Dialect dialect;

    @Inject
    public Storage(HangfireBuildTimeConfig config) {
        this.tables = new Tables(config.tablePrefix());
    }

    public Tables tables() {
        return tables;
    }

    public Dialect dialect() {
        Dialect d = dialect;
        if (d == null) {
            d = inNewTransaction(Dialect::detect);
            dialect = d;
        }
        return d;
    }

    /** Set at startup by the schema installer, which reads it from its own connection. */
    void useDialect(Dialect detected) {
        this.dialect = detected;
    }

    public Session session() {
        return session;
    }

    /** Reads through the entities, in the caller's transaction or in one of its own. */
    public <T> T read(java.util.function.Function<Session, T> query) {
        return QuarkusTransaction.joiningExisting().call(() -> query.apply(session));
    }

    /**
     * Runs {@code work} in the caller's transaction, or in a new one that commits when it returns (and is run
     * again if the database picked it as a deadlock victim, which it can be when it owns the transaction).
     */
    public <T> T inTransaction(Work<T> work) {
        if (QuarkusTransaction.isActive()) {
            return QuarkusTransaction.joiningExisting().call(() -> onConnection(work));
        }
        return retryingDeadlocks(() -> QuarkusTransaction.requiringNew().call(() -> onConnection(work)));
    }

    /** Runs {@code work} in a transaction of its own, whatever the caller has. */
    public <T> T inNewTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> onConnection(work));
    }

    /**
     * Runs the server's own batch work in a transaction of its own, at the isolation the dialect asks for, and
     * again when the database chose it as a deadlock victim: it holds no caller's state and is safe to rerun.
     */
    public <T> T inServerTransaction(Work<T> work) {
        return retryingDeadlocks(() -> QuarkusTransaction.requiringNew().call(() -> onConnection(c -> {
            dialect().beginServerTransaction(c);
            return work.run(c);
        })));
    }

    private static <T> T retryingDeadlocks(java.util.function.Supplier<T> transaction) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= 5 || !isDeadlock(e)) {
                    throw e;
                }
                LOG.debugf("Deadlock in storage work, retrying (attempt %d)", attempt);
            }
        }
    }

    private <T> T onConnection(Work<T> work) {
        // entity changes must reach the database before native SQL reads it
        session.flush();
        return session.doReturningWork(connection -> {
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw new StorageException(e);
            }
        });
    }

    /** Runs {@code action} after the current transaction commits; at once when there is none. */
    public void afterCommit(Runnable action) {
        if (synchronizations.getTransactionKey() == null) {
            action.run();
            return;
        }
        synchronizations.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    static boolean isDeadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransactionRollbackException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                // MySQL/MariaDB 1213 deadlock, 1205 lock wait timeout; SQLSTATE 40001 / 40P01 serialization
                String state = sql.getSQLState();
                if (sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205
                        || (state != null && (state.equals("40001") || state.equals("40P01")))) {
                    return true;
                }
            }
        }
        return false;
    }
}
