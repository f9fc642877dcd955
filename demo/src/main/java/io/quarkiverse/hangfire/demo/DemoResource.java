package io.quarkiverse.hangfire.demo;

import java.time.Duration;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.JobSummary;

/** Creates a handful of jobs on request and shows how they are doing. */
@Path("/demo/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class DemoResource {

    private static final int LATEST_PER_STATE = 5;

    @Inject
    JobScheduler jobs;

    /** What {@code POST /demo/jobs} created. */
    public record Created(List<String> enqueued, String scheduled, String continuation) {
    }

    /** What {@code GET /demo/jobs} returns. */
    public record Overview(Map<JobState, Long> counts, Map<JobState, List<JobSummary>> latest) {
    }

    /**
     * Enqueues three reports, an audit and a flaky sync, schedules a report for ten seconds from now, and
     * chains a notification to the first report. All in one transaction: the jobs exist, and workers start
     * on them, only once it commits.
     */
    @POST
    @Transactional
    public Created create() {
        YearMonth month = YearMonth.now().minusMonths(1);
        String first = jobs.enqueue(ReportJobs.class, r -> r.generate(1, month, null));
        String second = jobs.enqueue(ReportJobs.class, r -> r.generate(2, month, null));
        String third = jobs.enqueue(ReportJobs.class, r -> r.generate(3, month, null));
        String audit = jobs.enqueue(ReportJobs.class, r -> r.audit("monthly reports requested", null));
        String sync = jobs.enqueue(ReportJobs.class, r -> r.syncWithCrm(1, null));
        String later = jobs.schedule(ReportJobs.class, r -> r.generate(4, month, null), Duration.ofSeconds(10));
        String notify = jobs.continueWith(first, ReportJobs.class, r -> r.notifyReportReady(1, month));
        return new Created(List.of(first, second, third, audit, sync), later, notify);
    }

    /** The number of jobs in each state, and the latest few of each. */
    @GET
    public Overview overview() {
        Map<JobState, List<JobSummary>> latest = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            latest.put(state, jobs.monitor().jobs(state, 0, LATEST_PER_STATE).jobs());
        }
        return new Overview(jobs.monitor().countsByState(), latest);
    }

    /** Everything stored about one job: arguments, parameters, state history. */
    @GET
    @Path("/{id}")
    public JobDetails job(@PathParam("id") String id) {
        try {
            return jobs.monitor().job(id).orElseThrow(() -> new NotFoundException("No job " + id));
        } catch (IllegalArgumentException malformed) {
            // not a job id at all (ids are numbers): in a URL, that names no job either
            throw new NotFoundException("No job " + id);
        }
    }
}
