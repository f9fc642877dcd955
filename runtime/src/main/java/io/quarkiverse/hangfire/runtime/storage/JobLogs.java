package io.quarkiverse.hangfire.runtime.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;

import io.quarkiverse.hangfire.runtime.storage.entity.JobLogEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The lines jobs write to their logs through {@code JobContext.log}, through the {@link JobLogEntity} entity. */
@Singleton
public class JobLogs {

    /** Longer lines are cut here: a log line is a message, not a payload. */
    public static final int MAX_LINE = 4000;

    /** The job parameter that holds a job's progress in percent. */
    public static final String PROGRESS_PARAMETER = "progress";

    public record Line(Instant time, int attempt, String text) {
    }

    @Inject
    Storage storage;

    /** Appends and commits at once, so that the line is visible while the job runs and kept if it fails. */
    public void append(long jobId, int attempt, String text) {
        String line = storable(text);
        QuarkusTransaction.requiringNew().run(() -> {
            JobLogEntity entity = new JobLogEntity();
            entity.setJobId(jobId);
            entity.setAttempt(attempt);
            entity.setCreatedAt(JobClock.toDb(JobClock.now()));
            entity.setLine(line);
            storage.session().persist(entity);
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

    /** The newest {@code limit} lines of a job, oldest first. */
    public List<Line> newest(Session session, long jobId, int limit) {
        List<JobLogEntity> newestFirst = session
                .createSelectionQuery("from JobLogEntity l where l.jobId = :job order by l.id desc", JobLogEntity.class)
                .setParameter("job", jobId).setMaxResults(limit).getResultList();
        List<Line> lines = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            JobLogEntity l = newestFirst.get(i);
            lines.add(new Line(JobClock.fromDb(l.getCreatedAt()), l.getAttempt(), l.getLine()));
        }
        return lines;
    }
}
