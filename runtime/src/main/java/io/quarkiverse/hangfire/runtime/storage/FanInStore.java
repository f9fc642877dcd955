package io.quarkiverse.hangfire.runtime.storage;

import static io.quarkiverse.hangfire.runtime.storage.Rows.bindLongs;
import static io.quarkiverse.hangfire.runtime.storage.Rows.marks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.FanIn;

/**
 * The SQL of the continuations of several parents (schema version 4): {@code fan_in}, one row per waiting job with
 * counters of its parents, and {@code fan_in_parent}, the parents it still waits for. A parent reaching a final state
 * costs one lookup on the primary key of {@code fan_in_parent}, and for each dependent one locking read and one UPDATE
 * of its {@code fan_in} row. Lock order: parent job rows, then {@code fan_in} rows in ascending order, then the waiting
 * job rows.
 */
@Singleton
public class FanInStore {

    private final Tables t;

    @Inject
    public FanInStore(Transactions transactions) {
        this.t = transactions.tables();
    }

    /** A fan-in continuation's row. */
    public record FanInRow(long jobId, FanIn fanIn, int total, int succeeded, int deleted) {

        public FanIn.Decision decision() {
            return fanIn.decide(total, succeeded, deleted);
        }

        public FanInRow plus(int moreSucceeded, int moreDeleted) {
            return new FanInRow(jobId, fanIn, total, succeeded + moreSucceeded, deleted + moreDeleted);
        }
    }

    /** A parent and a job that waits for it. */
    public record Dependency(long parentId, long jobId) {
    }

    public void insert(Connection c, FanInRow row, Collection<Long> waitingFor) throws SQLException {
        Rows.insert(c, t.fanIn, "job_id, fan_in, total, succeeded, deleted", List.of(row), (ps, i, r) -> {
            ps.setLong(i++, r.jobId());
            ps.setString(i++, r.fanIn().name());
            ps.setInt(i++, r.total());
            ps.setInt(i++, r.succeeded());
            ps.setInt(i++, r.deleted());
            return i;
        });
        Rows.insert(c, t.fanInParent, "parent_id, job_id", List.copyOf(waitingFor), (ps, i, parent) -> {
            ps.setLong(i++, parent);
            ps.setLong(i++, row.jobId());
            return i;
        });
    }

    /** The fan-ins waiting for any of these parents. */
    public List<Dependency> dependents(Connection c, Collection<Long> parentIds) throws SQLException {
        List<Dependency> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT parent_id, job_id FROM " + t.fanInParent
                + " WHERE parent_id IN (" + marks(parentIds.size()) + ")")) {
            bindLongs(ps, 1, parentIds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Dependency(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return found;
    }

    /** Removes counted dependencies: a parent is counted once, whatever it does later. */
    public void delete(Connection c, Collection<Long> parentIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.fanInParent + " WHERE parent_id IN ("
                + marks(parentIds.size()) + ")")) {
            bindLongs(ps, 1, parentIds);
            ps.executeUpdate();
        }
    }

    /** Locks fan-in rows in ascending order. */
    public List<FanInRow> lock(Connection c, Collection<Long> jobIds) throws SQLException {
        return select(c, jobIds, " ORDER BY job_id FOR UPDATE");
    }

    /** Reads one fan-in row, or null. */
    public FanInRow read(Connection c, long jobId) throws SQLException {
        List<FanInRow> rows = select(c, List.of(jobId), "");
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<FanInRow> select(Connection c, Collection<Long> jobIds, String tail) throws SQLException {
        List<FanInRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id, fan_in, total, succeeded, deleted FROM " + t.fanIn
                + " WHERE job_id IN (" + marks(jobIds.size()) + ")" + tail)) {
            bindLongs(ps, 1, jobIds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new FanInRow(rs.getLong(1), FanIn.valueOf(rs.getString(2)), rs.getInt(3), rs.getInt(4),
                            rs.getInt(5)));
                }
            }
        }
        return rows;
    }

    public void updateCounts(Connection c, FanInRow row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.fanIn + " SET succeeded = ?, deleted = ? WHERE job_id = ?")) {
            ps.setInt(1, row.succeeded());
            ps.setInt(2, row.deleted());
            ps.setLong(3, row.jobId());
            ps.executeUpdate();
        }
    }
}
