package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;

/**
 * The channel on which the instances sharing a PostgreSQL database tell each other that jobs were enqueued
 * ({@code NOTIFY}), so that idle servers claim them at once instead of at their next poll. Its name is the table
 * prefix followed by {@code enqueued}: applications with different prefixes in one database do not wake each
 * other. A message is delivered only after the transaction that sends it commits, to every connection that
 * {@code LISTEN}s on the channel at that moment; the payload is the sender's instance and the queues concerned.
 * Polling stays as it is: a message is a hint that shortens the wait, and one that is lost (no listener at that
 * moment, a sender that died) costs at most a poll interval.
 * <p>
 * The classes of the PostgreSQL driver are used only here, and only once the database is known to be PostgreSQL.
 */
@Singleton
public class EnqueueChannel {

    /** pg_notify refuses a payload of 8000 bytes or more; a longer list of queues is sent as "every queue". */
    private static final int MAX_PAYLOAD = 7900;

    @Inject
    Transactions storage;

    @Inject
    HangfireConfig config;

    /** Whether the channel is in use: on PostgreSQL, unless switched off. */
    public boolean available() {
        return config.listenNotify() && storage.dialect().listensAndNotifies();
    }

    /** The channel's name, case kept (the LISTEN statement quotes it, as pg_notify takes it as given). */
    public String name() {
        return storage.tables().prefix + "enqueued";
    }

    /**
     * Tells every listener that {@code sender} enqueued jobs in {@code queues}, in a transaction of its own on the
     * loop's connection (the message leaves at its commit).
     */
    public void publish(LoopConnection loop, String sender, java.util.Collection<String> queues) {
        String payload = sender + " " + String.join(" ", queues);
        String sent = payload.length() > MAX_PAYLOAD ? sender : payload;
        storage.inServerTransaction(loop, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, name());
                ps.setString(2, sent);
                ps.executeQuery().close();
            }
            return null;
        });
    }

    /** What a message says: who sent it, and the queues concerned (empty: any queue). */
    public record Message(String sender, List<String> queues) {

        static Message parse(String payload) {
            String[] parts = payload == null ? new String[0] : payload.trim().split(" +");
            if (parts.length == 0 || parts[0].isEmpty()) {
                return new Message("", List.of());
            }
            return new Message(parts[0], List.of(parts).subList(1, parts.length));
        }

        /** Whether a server serving {@code served} may find a job through this message. */
        public boolean concerns(List<String> served) {
            return queues.isEmpty() || queues.stream().anyMatch(served::contains);
        }
    }

    /**
     * Starts listening on a connection taken from the pool for as long as the subscription lasts (a server holds
     * one pooled connection for this).
     */
    public Subscription subscribe() {
        Connection c = null;
        try {
            c = storage.pool().getConnection();
            c.setAutoCommit(true);
            Subscription subscription = new Subscription(c, c.unwrap(PGConnection.class));
            subscription.listen();
            return subscription;
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                Subscription.closeQuietly(c, e);
            }
            throw e instanceof SQLException sql ? new StorageException(sql) : (RuntimeException) e;
        }
    }

    /**
     * A pooled connection that listens on the channel, used by one thread. Statements go through the pool's
     * wrapper, so that when the connection broke (the database restarted, or its backend was terminated) the pool
     * sees the failure and discards the connection rather than lending it out again.
     */
    public final class Subscription implements AutoCloseable {

        /** A probe or a statement that gets no answer within this gives the connection up (a silent network). */
        private static final int NETWORK_TIMEOUT_MILLIS = 10_000;
        /** How long a silent subscription waits before it checks that its connection still answers. */
        private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(30);
        /** Like the loops' connections, given back every few minutes so that the pool can retire it. */
        private static final long RENEW_NANOS = TimeUnit.MINUTES.toNanos(5);

        private final Connection connection;
        private final PGConnection pg;
        private final long openedAt = System.nanoTime();
        private long lastChecked = openedAt;

        private Subscription(Connection connection, PGConnection pg) {
            this.connection = connection;
            this.pg = pg;
        }

        private void listen() throws SQLException {
            connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
            try (Statement st = connection.createStatement()) {
                st.execute("LISTEN \"" + name() + "\"");
            }
            lastChecked = System.nanoTime();
        }

        /**
         * Waits up to {@code wait} for messages and returns those that arrived (often none). Fails when the
         * connection broke; a connection silent for long is probed first.
         */
        public List<Message> await(Duration wait) {
            try {
                if (System.nanoTime() - lastChecked > PROBE_NANOS) {
                    // LISTEN again: a no-op that needs an answer from the database
                    listen();
                }
                PGNotification[] notifications = pg.getNotifications((int) Math.max(1, wait.toMillis()));
                if (notifications == null || notifications.length == 0) {
                    return List.of();
                }
                lastChecked = System.nanoTime();
                List<Message> messages = new ArrayList<>(notifications.length);
                for (PGNotification n : notifications) {
                    if (name().equals(n.getName())) {
                        messages.add(Message.parse(n.getParameter()));
                    }
                }
                return messages;
            } catch (SQLException e) {
                throw new StorageException(e);
            }
        }

        /** Whether it was held long enough to be given back and replaced. */
        public boolean old() {
            return System.nanoTime() - openedAt > RENEW_NANOS;
        }

        /** Stops listening and gives the connection back to the pool (which drops it if it broke). */
        @Override
        public void close() {
            try (Statement st = connection.createStatement()) {
                st.execute("UNLISTEN *");
                connection.setNetworkTimeout(Runnable::run, 0);
            } catch (SQLException | RuntimeException e) {
                // broken: the pool saw the failure of the statement and discards the connection
            }
            closeQuietly(connection, null);
        }

        private static void closeQuietly(Connection c, Exception cause) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
    }
}
