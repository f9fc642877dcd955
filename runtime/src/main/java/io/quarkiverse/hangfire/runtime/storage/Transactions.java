package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The one transaction runner: every piece of storage work, from the API, the state machine or the server, runs
 * through it, on the datasource of the persistence unit that stores the jobs ({@link StorageUnit}: the default one, or
 * the one of {@code quarkus.hangfire.datasource}). Work for a caller in a JTA transaction joins it
 * through the Hibernate session, so that the native SQL and the entity queries share its connection and its
 * fate. Everything else (a caller without a transaction, the server's own batches) takes a connection of the same
 * pool and commits it locally: skipping the session and the transaction manager is most of the JVM cost of a
 * short transaction. A single write (an enqueue) runs on the pooled connection in autocommit mode as it comes. It is
 * a little over 300 lines because these ways of running storage work share the after-commit hooks and the deadlock
 * retries, and must stay consistent with each other.
 */
@Singleton
public class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);

    /** SQL work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The persistence unit's (of {@code quarkus.hangfire.datasource}, the default one unless set). */
    private final Session session;

    private final SessionFactory sessionFactory;

    @Inject
    TransactionSynchronizationRegistry synchronizations;

    /** What a local transaction of this thread runs once it committed; null outside one. */
    private static final ThreadLocal<List<Runnable>> LOCAL_AFTER_COMMIT = new ThreadLocal<>();

    private volatile DataSource pool;

    private final Tables tables;
    private volatile Dialect dialect;

    private final StorageUnit unit;

    @Inject
    public Transactions(HangfireBuildTimeConfig config, StorageUnit unit) {
        this.tables = new Tables(config.tablePrefix());
        this.unit = unit;
        this.session = Arc.container().select(Session.class, unit.qualifier()).get();
        this.sessionFactory = Arc.container().select(SessionFactory.class, unit.qualifier()).get();
    }

    /** The datasource and persistence unit the jobs are stored in. */
    public StorageUnit unit() {
        return unit;
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
     * Runs {@code work} in the caller's JTA transaction, or in a local one of its own that commits when it returns
     * (and is run again if the database picked it as a deadlock victim, which it can be when it owns the
     * transaction).
     */
    public <T> T inTransaction(Work<T> work) {
        return joiningOrLocal(work, false);
    }

    /**
     * Runs {@code work}, which writes with a single statement, in the caller's JTA transaction, or else on a pooled
     * connection as the pool hands it out: in autocommit mode the statement is its own transaction, so the write
     * costs one round trip and no switching of the connection's autocommit mode back and forth.
     */
    public <T> T inOneStatement(Work<T> work) {
        return joiningOrLocal(work, true);
    }

    private <T> T joiningOrLocal(Work<T> work, boolean oneStatement) {
        if (LOCAL_AFTER_COMMIT.get() != null) {
            // it would commit on its own, apart from the server transaction around it
            throw new IllegalStateException("Storage work inside a server transaction must use that transaction's connection");
        }
        if (QuarkusTransaction.isActive()) {
            return QuarkusTransaction.joiningExisting().call(() -> onConnection(work));
        }
        // nothing to join: a local transaction on a pooled connection, without the transaction manager's cost
        return retryingDeadlocks(() -> inLocalTransaction(null, work, false, oneStatement));
    }

    /** Runs {@code work} in a transaction of its own, whatever the caller has. */
    public <T> T inNewTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> onConnection(work));
    }

    /**
     * Runs the server's own batch work in a transaction of its own, at the isolation the dialect asks for, and
     * again when the database chose it as a deadlock victim: it holds no caller's state and is safe to rerun.
     * Outside a JTA transaction (the server's threads) it commits a pooled connection locally.
     */
    public <T> T inServerTransaction(Work<T> work) {
        return inServerTransaction(null, work);
    }

    /**
     * {@link #inServerTransaction(Work)} on the connection that a busy server loop keeps between its transactions
     * ({@code loop}; null borrows one for this transaction alone).
     */
    public <T> T inServerTransaction(LoopConnection loop, Work<T> work) {
        if (QuarkusTransaction.isActive()) {
            return retryingDeadlocks(() -> QuarkusTransaction.requiringNew().call(() -> onConnection(c -> {
                dialect().beginServerTransaction(c);
                return work.run(c);
            })));
        }
        return retryingDeadlocks(() -> inLocalTransaction(loop, work, true, false));
    }

    /**
     * Runs {@code work} on {@code loop}'s connection, or on one borrowed for it (at the server's isolation if
     * {@code serverIsolation}), and commits it locally; then runs what the work asked to run after the commit. Work of
     * {@code oneStatement} runs on an autocommit connection as it is.
     */
    private <T> T inLocalTransaction(LoopConnection loop, Work<T> work, boolean serverIsolation, boolean oneStatement) {
        List<Runnable> afterCommit = new ArrayList<>(1);
        List<Runnable> enclosing = LOCAL_AFTER_COMMIT.get();
        LOCAL_AFTER_COMMIT.set(afterCommit);
        T result;
        Connection c = null;
        boolean committed = false;
        boolean autocommitted = false;
        try {
            if (loop != null) {
                c = loop.take(pool());
            } else {
                c = pool().getConnection();
                autocommitted = oneStatement && c.getAutoCommit();
                if (!autocommitted) {
                    c.setAutoCommit(false);
                }
                if (serverIsolation) {
                    dialect().beginServerTransaction(c);
                }
            }
            result = work.run(c);
            if (!autocommitted) {
                c.commit();
            }
            committed = true;
        } catch (SQLException e) {
            if (!autocommitted) {
                rollbackQuietly(c, e);
            }
            throw new StorageException(e);
        } catch (RuntimeException | Error e) {
            if (!autocommitted) {
                rollbackQuietly(c, e);
            }
            throw e;
        } finally {
            LOCAL_AFTER_COMMIT.set(enclosing);
            if (loop == null) {
                closeQuietly(c);
            } else if (!committed) {
                // a broken connection must not serve the next transaction
                loop.release();
            }
        }
        afterCommit.forEach(Runnable::run);
        return result;
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException | RuntimeException rollbackFailed) {
                cause.addSuppressed(rollbackFailed);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debugf("Closing a server connection failed: %s", e);
            }
        }
    }

    /** The pool of the jobs' persistence unit, whichever datasource that is. */
    DataSource pool() {
        DataSource p = pool;
        if (p == null) {
            p = sessionFactory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
                    .requireService(ConnectionProvider.class).unwrap(DataSource.class);
            pool = p;
        }
        return p;
    }

    /** The most connections {@link #pool()} hands out, or -1 when it is not an Agroal pool. */
    public int poolMaxSize() {
        return pool() instanceof io.agroal.api.AgroalDataSource agroal
                ? agroal.getConfiguration().connectionPoolConfiguration().maxSize()
                : -1;
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
        List<Runnable> local = LOCAL_AFTER_COMMIT.get();
        if (local != null) {
            local.add(action);
            return;
        }
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
