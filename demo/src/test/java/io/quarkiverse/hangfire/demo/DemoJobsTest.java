package io.quarkiverse.hangfire.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.YearMonth;

import jakarta.inject.Inject;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.testing.JobTesting;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The demo's endpoint tested as an application tests its own jobs: with the server off, assert what
 * {@code POST /demo/jobs} enqueued, then run the jobs in the test's thread (the "Testing your jobs" page).
 */
@QuarkusTest
@TestProfile(ServerOffProfile.class)
class DemoJobsTest {

    @Inject
    JobTesting testing;

    @Inject
    JobScheduler jobs;

    final YearMonth month = YearMonth.now().minusMonths(1);

    @BeforeEach
    void startWithNoPendingJobs() {
        testing.deletePendingJobs();
    }

    @Test
    void theEndpointEnqueuesTheReportsAndRunsNothing() {
        JsonPath created = given().when().post("/demo/jobs").then().statusCode(200).extract().jsonPath();

        String first = testing.assertEnqueued(ReportJobs.class, r -> r.generate(1, month, null));
        assertThat(first, equalTo(created.getString("enqueued[0]")));
        testing.assertEnqueued(ReportJobs.class, r -> r.audit("monthly reports requested", null));
        testing.assertEnqueued(ReportJobs.class, r -> r.syncWithCrm(1, null));
        // scheduled for later, and waiting for the first report: not enqueued yet
        testing.assertNotEnqueued(ReportJobs.class, r -> r.generate(4, month, null));
        testing.assertNotEnqueued(ReportJobs.class, r -> r.notifyReportReady(1, month));
        assertThat(state(first), is(JobState.ENQUEUED));

        AssertionError otherMonth = assertThrows(AssertionError.class,
                () -> testing.assertEnqueued(ReportJobs.class, r -> r.generate(1, month.minusMonths(1), null)));
        assertThat(otherMonth.getMessage(), containsString("the enqueued jobs of ReportJobs.generate have other arguments"));
        assertThat(otherMonth.getMessage(), containsString("job " + first + " [1, \"" + month + "\"]"));
        AssertionError enqueued = assertThrows(AssertionError.class,
                () -> testing.assertNotEnqueued(ReportJobs.class, r -> r.generate(2, month, null)));
        assertThat(enqueued.getMessage(), containsString(created.getString("enqueued[1]")));
    }

    @Test
    void runningTheEnqueuedJobsRunsTheirContinuationsAndLeavesTheScheduledOne() {
        JsonPath created = given().when().post("/demo/jobs").then().statusCode(200).extract().jsonPath();
        String first = created.getString("enqueued[0]");
        String sync = created.getString("enqueued[4]");

        // the five enqueued jobs, then the notification released by the first report
        assertThat(testing.runEnqueuedJobs(), is(6));
        for (String id : created.getList("enqueued", String.class)) {
            // the flaky sync may have failed its first attempt: then its retry is scheduled
            Matcher<JobState> expected = id.equals(sync) ? oneOf(JobState.SUCCEEDED, JobState.SCHEDULED) : is(JobState.SUCCEEDED);
            assertThat("job " + id, state(id), expected);
        }
        assertThat(state(created.getString("continuation")), is(JobState.SUCCEEDED));
        assertThat(state(created.getString("scheduled")), is(JobState.SCHEDULED));
        assertThat(state(first), is(JobState.SUCCEEDED));
        // the audit job records the thread it ran in: the test's own
        assertThat(jobs.getJobParameter(created.getString("enqueued[3]"), "auditedBy", String.class).orElseThrow(),
                equalTo(Thread.currentThread().getName()));

        // and now the report scheduled for later, and the flaky sync's retries until it succeeds or fails for good
        assertThat(testing.runEnqueuedAndScheduledJobs(), is(oneOf(1, 2, 3, 4, 5)));
        assertThat(state(created.getString("scheduled")), is(JobState.SUCCEEDED));
        assertThat(state(sync), is(oneOf(JobState.SUCCEEDED, JobState.FAILED)));
        assertThat(testing.runEnqueuedAndScheduledJobs(), is(0));
    }

    private JobState state(String id) {
        return jobs.monitor().job(id).orElseThrow().state();
    }
}
