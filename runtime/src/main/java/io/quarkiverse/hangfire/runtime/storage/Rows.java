package io.quarkiverse.hangfire.runtime.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * What the SQL of every table family shares: the chunked multi-row INSERT, IN lists of parameter marks, and the
 * cut of over-long texts. Package-private: the SQL stays in {@code storage}.
 */
final class Rows {

    /** Rows per multi-row INSERT and ids per chunked IN list, well under every driver's parameter limit. */
    static final int CHUNK = 200;

    private Rows() {
    }

    /** Binds one row's values from parameter {@code i} on; returns the index of the next parameter. */
    @FunctionalInterface
    interface Binder<R> {
        int bind(PreparedStatement ps, int i, R row) throws SQLException;
    }

    /** Inserts {@code rows} into {@code table} with multi-row INSERTs of at most {@link #CHUNK} rows each. */
    static <R> void insert(Connection c, String table, String columns, List<R> rows, Binder<R> binder) throws SQLException {
        insert(c, table, columns, rows, binder, null, null);
    }

    /**
     * Inserts like {@link #insert} and returns the generated ids in the order of {@code rows}: one key per row, in row
     * order, from the generated keys or from the dialect's RETURNING clause.
     */
    static <R> List<Long> insertReturningIds(Connection c, Dialect dialect, String table, String columns, List<R> rows,
            Binder<R> binder) throws SQLException {
        List<Long> ids = new ArrayList<>(rows.size());
        insert(c, table, columns, rows, binder, ids, dialect.returningId());
        return ids;
    }

    private static <R> void insert(Connection c, String table, String columns, List<R> rows, Binder<R> binder,
            List<Long> ids, String returning) throws SQLException {
        String oneRow = "(" + marks(columns.split(",").length) + ")";
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<R> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            String sql = "INSERT INTO " + table + " (" + columns + ") VALUES "
                    + String.join(", ", Collections.nCopies(chunk.size(), oneRow));
            try (PreparedStatement ps = ids == null ? c.prepareStatement(sql)
                    : returning == null ? c.prepareStatement(sql, new String[] { "id" })
                            : c.prepareStatement(sql + returning)) {
                int i = 1;
                for (R row : chunk) {
                    i = binder.bind(ps, i, row);
                }
                if (ids == null) {
                    ps.executeUpdate();
                } else {
                    readIds(ps, returning != null, chunk.size(), table, ids);
                }
            }
        }
    }

    private static void readIds(PreparedStatement ps, boolean returning, int rows, String table, List<Long> ids)
            throws SQLException {
        int before = ids.size();
        // execute(), not executeQuery(): MySQL Connector/J refuses an INSERT there even with RETURNING
        ps.execute();
        try (ResultSet keys = returning ? ps.getResultSet() : ps.getGeneratedKeys()) {
            while (keys.next()) {
                ids.add(keys.getLong(1));
            }
        }
        if (ids.size() - before != rows) {
            throw new SQLException("The driver returned " + (ids.size() - before) + " generated key(s) for an INSERT of "
                    + rows + " rows into " + table);
        }
    }

    /** {@code n} comma-separated parameter marks, for an IN list. */
    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static int bindLongs(PreparedStatement ps, int from, Collection<Long> values) throws SQLException {
        int i = from;
        for (long v : values) {
            ps.setLong(i++, v);
        }
        return i;
    }

    static int bindStrings(PreparedStatement ps, int from, Collection<String> values) throws SQLException {
        int i = from;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    /** Sets a nullable BIGINT parameter. */
    static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, java.sql.Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }

    /** A nullable BIGINT column. */
    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The ids the query returns in its first column. */
    static List<Long> ids(PreparedStatement ps) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    static java.time.Instant time(ResultSet rs, int column) throws SQLException {
        return JobClock.fromDb(rs.getObject(column, LocalDateTime.class));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
