package io.quarkiverse.hangfire.runtime.storage;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;

import io.quarkiverse.hangfire.runtime.storage.entity.JobLogEntity;

/**
 * The lines jobs write to their logs through {@code JobContext.log}: appended with SQL, read through the
 * {@link JobLogEntity} entity.
 */
@Singleton
public class JobLogs {

    /** Longer lines are cut here: a log line is a message, not a payload. */
    public static final int MAX_LINE = 4000;

    /** The job parameter that holds a job's progress in percent. */
    public static final String PROGRESS_PARAMETER = "progress";

    /**
     * @param text the line, or its first characters when it was read cut
     * @param length the stored line's length in characters
     */
    public record Line(Instant time, int attempt, String text, long length) {
    }

    @Inject
    Transactions transactions;

    @Inject
    QueueStore claims;

    /**
     * Appends and commits at once, so that the line is visible while the job runs and kept if it fails; only while
     * {@code attempt} is the job's current one. Returns false, writing nothing, when it is not.
     */
    public boolean append(long jobId, int attempt, String text) {
        String line = storable(text);
        return transactions.inNewTransaction(c -> {
            if (!claims.lockCurrentAttempt(c, jobId, attempt)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + transactions.tables().log
                    + " (job_id, attempt, created_at, line) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, jobId);
                ps.setInt(2, attempt);
                ps.setObject(3, transactions.dialect().timestamp(JobClock.now()));
                ps.setString(4, line);
                ps.executeUpdate();
                return true;
            }
        });
    }

    /**
     * The line as stored: cut after {@link #MAX_LINE} characters with a marker that says how much was left out (never
     * between the two halves of a surrogate pair), and NUL characters replaced, which PostgreSQL's text refuses. A
     * job's log call must not fail the job.
     */
    static String storable(String text) {
        if (text == null) {
            return "null";
        }
        String line = text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
        if (line.length() <= MAX_LINE) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(MAX_LINE - 1)) ? MAX_LINE - 1 : MAX_LINE;
        return line.substring(0, end) + " … (cut: " + (line.length() - end) + " more characters not stored)";
    }

    /**
     * The newest {@code limit} lines of a job, oldest first, each read to at most {@code maxChars} characters: old
     * rows and other applications may hold longer lines than {@link #MAX_LINE}, and a reader must not have to load
     * them whole.
     */
    public List<Line> newest(Session session, long jobId, int limit, int maxChars) {
        List<Object[]> newestFirst = session
                .createSelectionQuery("select l.createdAt, l.attempt, substring(l.line, 1, " + maxChars + "), length(l.line)"
                        + " from JobLogEntity l where l.jobId = :job order by l.id desc", Object[].class)
                .setParameter("job", jobId).setMaxResults(limit).getResultList();
        List<Line> lines = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Object[] l = newestFirst.get(i);
            lines.add(new Line(JobClock.fromDb((java.time.LocalDateTime) l[0]), (Integer) l[1], (String) l[2],
                    ((Number) l[3]).longValue()));
        }
        return lines;
    }
}
