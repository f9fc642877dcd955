package io.quarkiverse.hangfire.runtime.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobCreationCancelledException;
import io.quarkiverse.hangfire.JobFilter;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobStateChanged;
import io.quarkus.arc.All;
import io.quarkus.arc.InstanceHandle;

/**
 * The application's {@link JobFilter} beans in their order (by {@code @Priority}, lower first), and the one place
 * that calls them: each phase says here what a failing filter means. Without filters every phase is a no-op, so
 * the paths that call them cost nothing.
 */
@Singleton
public class JobFilters {

    private static final Logger LOG = Logger.getLogger(JobFilters.class);

    private final List<JobFilter> ordered;
    private final List<JobFilter> reversed;

    @Inject
    public JobFilters(@All List<InstanceHandle<JobFilter>> beans) {
        List<InstanceHandle<JobFilter>> sorted = new ArrayList<>(beans);
        // stable: filters of equal priority keep the container's order
        sorted.sort(Comparator.comparingInt(h -> h.getBean().getPriority()));
        this.ordered = sorted.stream().map(InstanceHandle::get).toList();
        List<JobFilter> backwards = new ArrayList<>(ordered);
        java.util.Collections.reverse(backwards);
        this.reversed = List.copyOf(backwards);
    }

    public boolean isEmpty() {
        return ordered.isEmpty();
    }

    /**
     * Runs {@code onCreating} for a job about to be created; returns the job parameters the filters set (empty
     * without filters). Throws {@link JobCreationCancelledException} when a filter cancelled the creation; an
     * exception a filter throws reaches the caller as it is.
     */
    public Map<String, Object> creating(String jobName, String queue, JobState state) {
        if (ordered.isEmpty()) {
            return Map.of();
        }
        CreatingJob job = new CreatingJob(jobName, queue, state);
        for (JobFilter filter : ordered) {
            filter.onCreating(job);
            if (job.cancelled()) {
                throw new JobCreationCancelledException(jobName, name(filter), job.cancelReason());
            }
        }
        return job.parameters();
    }

    public void created(JobStateChanged created) {
        for (JobFilter filter : reversed) {
            try {
                filter.onCreated(created);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Job filter %s failed in onCreated for job %s; the job stands", name(filter), created.jobId());
            }
        }
    }

    /**
     * Runs {@code onPerforming} and returns how many filters ran it, for {@link #performed}; rethrows the first
     * exception (with that count in {@link PerformingFailed}).
     */
    public int performing(JobContext job) throws PerformingFailed {
        int ran = 0;
        for (JobFilter filter : ordered) {
            try {
                filter.onPerforming(job);
            } catch (RuntimeException e) {
                throw new PerformingFailed(e, ran);
            }
            ran++;
        }
        return ran;
    }

    /** Runs {@code onPerformed} of the first {@code ran} filters, last first; exceptions are logged. */
    public void performed(JobContext job, Throwable failure, int ran) {
        for (int i = ran - 1; i >= 0; i--) {
            JobFilter filter = ordered.get(i);
            try {
                filter.onPerformed(job, failure);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Job filter %s failed in onPerformed for job %s; the attempt's outcome stands", name(filter),
                        job.jobId());
            }
        }
    }

    public void elect(JobFilter.StateElection election) {
        for (JobFilter filter : ordered) {
            try {
                filter.onStateElection(election);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Job filter %s failed in onStateElection for job %s; the state elected before it stands",
                        name(filter), election.jobId());
            }
        }
    }

    public void applied(JobStateChanged change) {
        for (JobFilter filter : ordered) {
            try {
                filter.onStateApplied(change);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Job filter %s failed in onStateApplied for job %s; the change stands", name(filter),
                        change.jobId());
            }
        }
    }

    public static String name(JobFilter filter) {
        // a client proxy's class is generated: name the bean class
        String name = filter.getClass().getName();
        int generated = name.indexOf("_ClientProxy");
        return generated > 0 ? name.substring(0, generated) : name;
    }

    /** An {@code onPerforming} failed: the attempt fails with its cause, and {@code ran} filters get {@code onPerformed}. */
    public static final class PerformingFailed extends Exception {
        private final int ran;

        PerformingFailed(RuntimeException cause, int ran) {
            super(cause);
            this.ran = ran;
        }

        public int ran() {
            return ran;
        }
    }
}
