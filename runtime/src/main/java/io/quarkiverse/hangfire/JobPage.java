package io.quarkiverse.hangfire;

import java.util.List;

/** One page of a job list: the jobs on it, and how many there are in all. */
public record JobPage(List<JobSummary> jobs, long total, int offset, int limit) {
}
