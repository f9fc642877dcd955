package io.quarkiverse.hangfire.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.quarkiverse.hangfire.JobCall;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.registry.CapturedCall;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.storage.JobId;
import io.quarkiverse.hangfire.runtime.storage.Transactions;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.testing.JobTesting;
import io.quarkus.runtime.LaunchMode;

/** {@link JobTesting} over the stored jobs, running them through {@link JobScheduler#perform}. */
@Singleton
public class HangfireJobTesting implements JobTesting {

    /** Reads decimals exactly, trailing zeros kept: arguments compare as stored, a BigDecimal's scale included. */
    private static final ObjectReader EXACT = JobArguments.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    /** JSON values compared as stored: numbers by value and scale ({@code 12.50} is not {@code 12.5}). */
    private static final Comparator<JsonNode> AS_STORED = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().equals(b.decimalValue()) ? 0 : 1
            : a.equals(b) ? 0 : 1;

    /** A bound on one drain, so that a job that keeps enqueuing jobs fails the test instead of hanging it. */
    static final int MAX_RUNS = 10_000;
    /** The most pending jobs looked at per round; a test has far fewer. */
    private static final int MAX_ROWS = 10_000;

    @Inject
    Transactions storage;

    @Inject
    JobScheduler scheduler;

    @Inject
    HangfireConfig config;

    @Override
    public <T> String assertEnqueued(Class<T> jobClass, JobCall<T> call) {
        Expected expected = Expected.of(jobClass, call);
        List<JobEntity> candidates = pending(List.of(JobState.ENQUEUED), expected.method.name());
        for (JobEntity job : candidates) {
            if (expected.matches(job.getArguments())) {
                return JobId.format(job.getId());
            }
        }
        StringBuilder message = new StringBuilder("Expected an enqueued job " + expected.method.name()
                + JobArguments.split(expected.method.name(), expected.json) + ", but ");
        if (candidates.isEmpty()) {
            message.append("no job of ").append(expected.method.name()).append(" is enqueued");
        } else {
            message.append("the enqueued jobs of ").append(expected.method.name()).append(" have other arguments:");
            for (JobEntity job : candidates) {
                message.append("\n  job ").append(job.getId()).append(' ')
                        .append(JobArguments.split(job.getJobName(), job.getArguments()));
            }
        }
        throw new AssertionError(message.toString());
    }

    @Override
    public <T> void assertNotEnqueued(Class<T> jobClass, JobCall<T> call) {
        List<String> ids = enqueued(jobClass, call);
        if (!ids.isEmpty()) {
            Expected expected = Expected.of(jobClass, call);
            throw new AssertionError("Expected no enqueued job " + expected.method.name()
                    + JobArguments.split(expected.method.name(), expected.json) + ", but found job(s) " + ids);
        }
    }

    @Override
    public <T> List<String> enqueued(Class<T> jobClass, JobCall<T> call) {
        Expected expected = Expected.of(jobClass, call);
        List<String> ids = new ArrayList<>();
        for (JobEntity job : pending(List.of(JobState.ENQUEUED), expected.method.name())) {
            if (expected.matches(job.getArguments())) {
                ids.add(JobId.format(job.getId()));
            }
        }
        return ids;
    }

    @Override
    public int runEnqueuedJobs() {
        return drain(false);
    }

    @Override
    public int runEnqueuedAndScheduledJobs() {
        return drain(true);
    }

    @Override
    public int deletePendingJobs() {
        requireTestMode("deletePendingJobs");
        int deleted = 0;
        for (JobEntity job : pending(List.of(JobState.ENQUEUED, JobState.SCHEDULED, JobState.AWAITING), null)) {
            if (scheduler.delete(JobId.format(job.getId()), JobState.valueOf(job.getState()))) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Running and deleting jobs wholesale is for tests: an application that injects this in production gets told. */
    private static void requireTestMode(String method) {
        if (LaunchMode.current() != LaunchMode.TEST) {
            throw new IllegalStateException("JobTesting." + method + " changes jobs only in tests (launch mode TEST);"
                    + " this application runs in " + LaunchMode.current());
        }
    }

    private int drain(boolean withScheduled) {
        requireTestMode(withScheduled ? "runEnqueuedAndScheduledJobs" : "runEnqueuedJobs");
        if (config.server().enabled()) {
            throw new IllegalStateException("JobTesting runs jobs only while this instance runs no server: set"
                    + " quarkus.hangfire.server.enabled=false for the test (in the %test profile or a QuarkusTestProfile),"
                    + " or the server's workers race the test for the jobs");
        }
        int runs = 0;
        while (true) {
            if (withScheduled) {
                for (JobEntity job : pending(List.of(JobState.SCHEDULED), null)) {
                    scheduler.requeue(JobId.format(job.getId()), JobState.SCHEDULED);
                }
            }
            List<JobEntity> enqueued = pending(List.of(JobState.ENQUEUED), null);
            if (enqueued.isEmpty()) {
                return runs;
            }
            for (JobEntity job : enqueued) {
                String id = JobId.format(job.getId());
                // an earlier run of this round may have deleted or requeued it elsewhere
                if (scheduler.monitor().job(id).map(d -> d.state() == JobState.ENQUEUED).orElse(false)) {
                    if (++runs > MAX_RUNS) {
                        throw new IllegalStateException("Still enqueued jobs after " + MAX_RUNS
                                + " runs: does a job keep enqueuing jobs?");
                    }
                    scheduler.perform(id);
                }
            }
        }
    }

    /** Jobs in one of {@code states}, of {@code jobName} unless null, oldest first. */
    private List<JobEntity> pending(List<JobState> states, String jobName) {
        List<String> names = states.stream().map(JobState::name).toList();
        return storage.read(session -> {
            var query = session.createSelectionQuery("from JobEntity j where j.state in :states"
                    + (jobName == null ? "" : " and j.jobName = :name") + " order by j.id", JobEntity.class)
                    .setParameter("states", names);
            if (jobName != null) {
                query.setParameter("name", jobName);
            }
            return query.setMaxResults(MAX_ROWS).getResultList();
        });
    }

    /** A captured call: its job method, its arguments and their stored JSON. */
    private record Expected(JobMethod method, Object[] arguments, String json) {

        static <T> Expected of(Class<T> jobClass, JobCall<T> call) {
            CapturedCall captured = CapturedCall.capture(Objects.requireNonNull(jobClass, "jobClass"), call);
            JobMethod method = JobRegistry.byName(captured.jobName);
            return new Expected(method, captured.arguments, JobArguments.encode(method, captured.arguments));
        }

        /** Whether the stored arguments equal these, argument by argument, as JSON (decrypted where sensitive). */
        boolean matches(String storedArguments) {
            Object[] stored = JobArguments.decode(method, storedArguments, null);
            int a = 0;
            for (int i = 0; i < stored.length; i++) {
                if (i == method.contextIndex()) {
                    continue;
                }
                if (!tree(i, stored[i]).equals(AS_STORED, tree(i, arguments[a++]))) {
                    return false;
                }
            }
            return true;
        }

        private JsonNode tree(int parameter, Object value) {
            try {
                return EXACT.readTree(
                        JobArguments.MAPPER.writerFor(method.parameterTypes().get(parameter)).writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Argument of " + method.signature() + " cannot be written as JSON", e);
            }
        }
    }
}
