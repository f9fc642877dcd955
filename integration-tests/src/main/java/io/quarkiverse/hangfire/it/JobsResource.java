package io.quarkiverse.hangfire.it;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;

/** An HTTP entry point, as an application would have one: jobs enqueued from a request. */
@Path("/it")
public class JobsResource {

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @POST
    @Path("/record/{key}")
    @Transactional
    public String enqueue(@PathParam("key") String key, @QueryParam("fail") boolean fail) {
        String id = jobs.enqueue(TestJobs.class, j -> j.record(key));
        if (fail) {
            throw new IllegalStateException("rolled back on purpose");
        }
        return id;
    }

    @GET
    @Path("/count/{key}")
    public int count(@PathParam("key") String key) {
        return executions.count(key);
    }

    @GET
    @Path("/counts")
    public Map<JobState, Long> counts() {
        return jobs.monitor().countsByState();
    }
}
