package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A pooled connection that one busy server loop (the fetcher, the outcome writer) keeps from one transaction to
 * the next, set up once: no autocommit, READ COMMITTED. A transaction on it then costs its statements and the
 * commit, not the three more round trips that set a borrowed connection up and reset it. The loop gives it back
 * when it goes idle; it is given back after any failure, and renewed every few minutes so the pool can retire it.
 * Only the thread of its loop uses it.
 */
public final class LoopConnection {

    private static final long RENEW_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);

    private Connection connection;
    private long openedAt;

    /** The connection, taken from {@code pool} and set up if the loop holds none, or held too long. */
    Connection take(DataSource pool) throws SQLException {
        if (connection != null && System.nanoTime() - openedAt > RENEW_NANOS) {
            release();
        }
        if (connection == null) {
            Connection c = pool.getConnection();
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            connection = c;
            openedAt = System.nanoTime();
        }
        return connection;
    }

    /**
     * Gives the connection back to the pool, which restores its settings. Its last transaction has ended:
     * {@code Transactions} commits each one, or rolls it back before it releases the connection.
     */
    public void release() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // nothing more to do with it
            }
        }
    }
}
