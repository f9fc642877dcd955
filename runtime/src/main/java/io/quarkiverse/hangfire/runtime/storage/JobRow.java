package io.quarkiverse.hangfire.runtime.storage;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobState;

/** The columns of a job row that state changes and workers need. */
public record JobRow(long id, String jobName, String queue, String arguments, JobState state, int attempt, int retryCount,
        Long parentId, ContinuationOption continuationOption) {

    /** The row as it is once claimed: Processing, with this attempt counted. */
    public JobRow claimed() {
        return new JobRow(id, jobName, queue, arguments, JobState.PROCESSING, attempt + 1, retryCount, parentId,
                continuationOption);
    }

    static final String COLUMNS = "id, job_name, queue, arguments, state, attempt, retry_count, parent_id, continuation_option";

    static JobRow read(java.sql.ResultSet rs) throws java.sql.SQLException {
        long parent = rs.getLong(8);
        Long parentId = rs.wasNull() ? null : parent;
        String option = rs.getString(9);
        return new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), JobState.valueOf(rs.getString(5)),
                rs.getInt(6), rs.getInt(7), parentId, option == null ? null : ContinuationOption.valueOf(option));
    }
}
