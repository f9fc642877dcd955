package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.QueuePause;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;

/**
 * The SQL of paused queues: a row per paused queue, read by every claim (a small table, read through its primary
 * key), so that a pause holds on every server from its commit on. A pause whose end passed is no pause: it is
 * passed over by the reads and replaced or removed by the next write.
 */
@Singleton
public class QueuePauses {

    private static final int MAX_BY = 200;

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public QueuePauses(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** Pauses {@code queue} until {@code until} (null: until resumed), replacing any pause it has. */
    public void pause(String queue, Instant until, String by) {
        checkQueue(queue);
        Instant end = until == null ? null : JobClock.storable(until, "until");
        String who = by == null || by.isBlank() ? "unknown" : Rows.truncate(by, MAX_BY);
        transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            delete(c, queue);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.pause + " (queue, paused_by, paused_at,"
                    + " paused_until) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, queue);
                ps.setString(2, who);
                ps.setObject(3, ts(now));
                ps.setObject(4, ts(end));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Lifts the pause of {@code queue}; returns whether it was paused. */
    public boolean resume(String queue) {
        checkQueue(queue);
        return transactions.inTransaction(c -> {
            Instant now = JobClock.now();
            boolean paused = list(c, now).stream().anyMatch(p -> p.queue().equals(queue));
            delete(c, queue);
            return paused;
        });
    }

    /** The queues paused at {@code now}, by name. */
    public List<QueuePause> list(Connection c, Instant now) throws SQLException {
        List<QueuePause> paused = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT queue, paused_by, paused_at, paused_until FROM " + t.pause
                + " ORDER BY queue")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant until = Rows.time(rs, 4);
                    if (until == null || until.isAfter(now)) {
                        paused.add(new QueuePause(rs.getString(1), rs.getString(2), Rows.time(rs, 3), until));
                    }
                }
            }
        }
        return paused;
    }

    /** The names of the queues paused at {@code now}: what a claim passes over. */
    public Set<String> paused(Connection c, Instant now) throws SQLException {
        Set<String> paused = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT queue, paused_until FROM " + t.pause)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant until = Rows.time(rs, 2);
                    if (until == null || until.isAfter(now)) {
                        paused.add(rs.getString(1));
                    }
                }
            }
        }
        return paused;
    }

    /** The queues paused now, read in a transaction of its own. */
    public List<QueuePause> list() {
        return transactions.inTransaction(c -> list(c, JobClock.now()));
    }

    private void delete(Connection c, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.pause + " WHERE queue = ?")) {
            ps.setString(1, queue);
            ps.executeUpdate();
        }
    }

    private static void checkQueue(String queue) {
        if (queue == null || !JobMethod.QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("'" + queue + "' is not a queue name: queue names are 1 to 50 lower case"
                    + " letters, digits, '_' or '-'");
        }
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
