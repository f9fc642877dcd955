package io.quarkiverse.hangfire.it.observability;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import io.quarkiverse.hangfire.JobScheduler;

/** A web request that enqueues a job: its trace should show the job's attempts. */
@Path("/traced")
public class TracedResource {

    @Inject
    JobScheduler jobs;

    @POST
    public String enqueue() {
        return jobs.enqueue(WorkloadJobs.class, j -> j.traced(null));
    }
}
