package io.quarkiverse.hangfire.runtime.filter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkiverse.hangfire.JobFilter;
import io.quarkiverse.hangfire.JobState;

/** A job about to be created, as the filters' {@code onCreating} see and change it. */
final class CreatingJob implements JobFilter.Creating {

    private final String jobName;
    private final String queue;
    private final JobState state;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private String cancelReason;

    CreatingJob(String jobName, String queue, JobState state) {
        this.jobName = jobName;
        this.queue = queue;
        this.state = state;
    }

    @Override
    public String jobName() {
        return jobName;
    }

    @Override
    public String queue() {
        return queue;
    }

    @Override
    public JobState state() {
        return state;
    }

    @Override
    public void setParameter(String name, Object value) {
        parameters.put(name, value);
    }

    @Override
    public Map<String, Object> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public void cancel(String reason) {
        cancelReason = reason == null || reason.isBlank() ? "(no reason given)" : reason;
    }

    boolean cancelled() {
        return cancelReason != null;
    }

    String cancelReason() {
        return cancelReason;
    }
}
