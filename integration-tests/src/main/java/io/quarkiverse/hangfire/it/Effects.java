package io.quarkiverse.hangfire.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobContext;
import io.quarkus.runtime.StartupEvent;

/**
 * An application table, {@code it_effect}, that jobs write through the application's own datasource: in a
 * transactional job's transaction, which the pool enlists the connection in; in autocommit mode otherwise. One row
 * per write: what the exactly-once tests count.
 */
@Singleton
public class Effects {

    private static final Logger LOG = Logger.getLogger(Effects.class);
    private static final long PID = ProcessHandle.current().pid();

    @Inject
    AgroalDataSource dataSource;

    /** One row of {@code it_effect}. */
    public record Effect(String key, long jobId, long token, long pid) {
    }

    void create(@Observes StartupEvent event) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS it_effect (job_key VARCHAR(100) NOT NULL, job_id BIGINT NOT NULL,"
                    + " token BIGINT NOT NULL, pid BIGINT NOT NULL)");
        } catch (SQLException e) {
            // two processes starting at once: the other one created it
            LOG.debugf("it_effect not created: %s", e);
        }
    }

    /** Inserts one row for the running attempt, in its transaction if it has one. */
    public void insert(String key, JobContext context) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO it_effect (job_key, job_id, token, pid) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key);
            ps.setLong(2, Long.parseLong(context.jobId()));
            ps.setLong(3, context.fencingToken());
            ps.setLong(4, PID);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not insert into it_effect: " + e, e);
        }
    }

    /** The committed rows of {@code key}. */
    public List<Effect> of(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT job_key, job_id, token, pid FROM it_effect WHERE job_key = ? ORDER BY token")) {
            ps.setString(1, key);
            List<Effect> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Effect(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
