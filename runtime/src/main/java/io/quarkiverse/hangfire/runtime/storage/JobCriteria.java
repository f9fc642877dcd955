package io.quarkiverse.hangfire.runtime.storage;

import org.hibernate.query.SelectionQuery;

import io.quarkiverse.hangfire.JobState;

/**
 * What a job list is narrowed to, as the read model queries it; null members do not narrow it.
 *
 * @param retriesOnly only jobs waiting for an automatic retry (Scheduled with {@link #RETRY_REASON_PREFIX})
 */
public record JobCriteria(JobState state, String jobName, String queue, boolean retriesOnly) {

    /** Automatic retries wait in Scheduled with a reason that starts so (written by {@code AutomaticRetry}). */
    public static final String RETRY_REASON_PREFIX = "Retry attempt ";

    /** Every job. */
    public static final JobCriteria ALL = new JobCriteria(null, null, null, false);

    /** The jobs waiting for an automatic retry. */
    public static final JobCriteria RETRIES = new JobCriteria(JobState.SCHEDULED, null, null, true);

    /** Jobs in {@code state}. */
    public static JobCriteria inState(JobState state) {
        return new JobCriteria(state, null, null, false);
    }

    /**
     * Whether rows are narrowed by what no index serves in list order (a job name, a queue, the retries): such a
     * list looks through a window of the newest jobs of {@link #base()} only (see {@link JobReads#window}).
     */
    public boolean narrowsRows() {
        return jobName != null || queue != null || retriesOnly;
    }

    /** The list this one narrows, whose order an index serves: the jobs in its state, or all jobs. */
    public JobCriteria base() {
        return new JobCriteria(state, null, null, false);
    }

    /**
     * The order of the list: in a state, newest state change first (the state index); across states, newest created
     * first (the primary key), since no index orders every job by its state change.
     */
    String order() {
        return state != null ? " order by j.stateChangedAt desc, j.id desc" : " order by j.id desc";
    }

    /** The conditions, as an HQL where clause on {@code JobEntity j} ("" when nothing narrows). */
    String where() {
        String conditions = conditions();
        return conditions.isEmpty() ? "" : " where " + conditions;
    }

    /** The conditions joined by {@code and}, without {@code where}. */
    String conditions() {
        StringBuilder conditions = new StringBuilder();
        and(conditions, state != null, "j.state = :state");
        and(conditions, retriesOnly, "j.stateReason like :retry");
        and(conditions, jobName != null, "j.jobName = :name");
        and(conditions, queue != null, "j.queue = :queue");
        return conditions.toString();
    }

    private static void and(StringBuilder conditions, boolean applies, String condition) {
        if (applies) {
            conditions.append(conditions.isEmpty() ? "" : " and ").append(condition);
        }
    }

    /** Binds the parameters of {@link #where()} on {@code query}. */
    <Q extends SelectionQuery<?>> Q bind(Q query) {
        if (state != null) {
            query.setParameter("state", state.name());
        }
        if (retriesOnly) {
            query.setParameter("retry", RETRY_REASON_PREFIX + "%");
        }
        if (jobName != null) {
            query.setParameter("name", jobName);
        }
        if (queue != null) {
            query.setParameter("queue", queue);
        }
        return query;
    }
}
