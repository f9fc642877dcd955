package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The SQL of the server rows: one per running server, with what it serves and its last heartbeat. */
@Singleton
public class ServerStore {

    private final Transactions transactions;
    private final Tables t;

    @Inject
    public ServerStore(Transactions transactions) {
        this.transactions = transactions;
        this.t = transactions.tables();
    }

    /** Adds a server's row. */
    public void insert(Connection c, String serverId, List<String> queues, int workers, Instant startedAt, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.server
                + " (id, queues, workers, started_at, last_heartbeat) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, serverId);
            ps.setString(2, String.join(",", queues));
            ps.setInt(3, workers);
            ps.setObject(4, ts(startedAt));
            ps.setObject(5, ts(now));
            ps.executeUpdate();
        }
    }

    /** Sets the server's last heartbeat; false when its row is gone. */
    public boolean heartbeat(Connection c, String serverId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.server + " SET last_heartbeat = ? WHERE id = ?")) {
            ps.setObject(1, ts(now));
            ps.setString(2, serverId);
            return ps.executeUpdate() > 0;
        }
    }

    /** The last heartbeats of those of these servers that still have a row. */
    public Map<String, Instant> lastHeartbeats(Connection c, Collection<String> serverIds) throws SQLException {
        Map<String, Instant> heartbeats = new HashMap<>();
        Set<String> ids = new HashSet<>(serverIds);
        if (ids.isEmpty()) {
            return heartbeats;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, last_heartbeat FROM " + t.server + " WHERE id IN ("
                + Rows.marks(ids.size()) + ")")) {
            Rows.bindStrings(ps, 1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heartbeats.put(rs.getString(1), Rows.time(rs, 2));
                }
            }
        }
        return heartbeats;
    }

    /** Removes the rows of servers whose last heartbeat is before {@code deadline}, passing over locked ones. */
    public List<String> removeSilentSince(Connection c, Instant deadline) throws SQLException {
        List<String> dead = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + t.server + " WHERE last_heartbeat < ?"
                + transactions.dialect().forUpdateSkipLocked())) {
            ps.setObject(1, ts(deadline));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dead.add(rs.getString(1));
                }
            }
        }
        if (!dead.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.server + " WHERE id IN ("
                    + Rows.marks(dead.size()) + ")")) {
                Rows.bindStrings(ps, 1, dead);
                ps.executeUpdate();
            }
        }
        return dead;
    }

    public void delete(Connection c, String serverId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.server + " WHERE id = ?")) {
            ps.setString(1, serverId);
            ps.executeUpdate();
        }
    }

    private Object ts(Instant instant) {
        return transactions.dialect().timestamp(instant);
    }
}
