package io.quarkiverse.hangfire.runtime.filter;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobStateChanged;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;
import io.quarkiverse.hangfire.runtime.storage.Transactions;

/**
 * The job filters around a creation through the API: {@link #creating} before the transaction (so that a cancelled
 * or invalid creation touches nothing), {@link Creation#stored} once the job row exists, in the same transaction.
 */
@Singleton
public class FilteredCreation {

    /** A creation the filters let through. */
    public interface Creation {
        /** Stores the parameters the filters set and has their {@code onCreated} called after the commit. */
        void stored(Connection c, long id, String reason, Map<String, String> data, Instant now) throws SQLException;

        /** Whether {@link #stored} writes rows (parameters the filters set), so that the creation is more than one INSERT. */
        default boolean writesRows() {
            return false;
        }
    }

    private static final Creation UNFILTERED = (c, id, reason, data, now) -> {
    };

    @Inject
    JobFilters filters;

    @Inject
    JobParameters parameters;

    @Inject
    Transactions transactions;

    /** Runs the filters' {@code onCreating}; throws when one cancelled the creation or set an unstorable parameter. */
    public Creation creating(String jobName, String queue, JobState state) {
        if (filters.isEmpty()) {
            return UNFILTERED;
        }
        Map<String, Object> set = filters.creating(jobName, queue, state);
        LongFunction<List<JobParameters.ParameterRow>> rows = set.isEmpty() ? null : parameters.forNewJob(jobName, set);
        return new Creation() {
            @Override
            public void stored(Connection c, long id, String reason, Map<String, String> data, Instant now)
                    throws SQLException {
                if (rows != null) {
                    parameters.insert(c, rows.apply(id));
                }
                JobStateChanged created = new JobStateChanged(JobId.format(id), jobName, queue, null, state, reason,
                        data == null ? Map.of() : data, now);
                transactions.afterCommit(() -> filters.created(created));
            }

            @Override
            public boolean writesRows() {
                return rows != null;
            }
        };
    }
}
