package io.quarkiverse.hangfire.runtime.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.SizeLimits;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobParameterEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Named JSON values attached to jobs, through the {@link JobParameterEntity} entity. */
@Singleton
public class JobParameters {

    private static final int MAX_NAME = 100;

    @Inject
    Storage storage;

    @Inject
    JobSql sql;

    @Inject
    SizeLimits limits;

    public <V> Optional<V> get(String jobId, String name, Class<V> type) {
        long id = JobId.parse(jobId);
        String json = QuarkusTransaction.joiningExisting().call(() -> {
            requireJob(jobId, id, false);
            List<String> values = storage.session()
                    .createSelectionQuery("select p.value from JobParameterEntity p where p.jobId = :job and p.name = :name",
                            String.class)
                    .setParameter("job", id).setParameter("name", name).getResultList();
            return values.isEmpty() ? null : values.get(0);
        });
        return json == null ? Optional.empty() : Optional.ofNullable(JobArguments.fromJson(json, type));
    }

    /** Writes in the caller's transaction, or in one of its own. */
    public void set(String jobId, String name, Object value) {
        write(jobId, name, value, QuarkusTransaction::joiningExisting);
    }

    /** Writes and commits at once: what a running job says about itself must not wait for it to end. */
    public void setInNewTransaction(String jobId, String name, Object value) {
        write(jobId, name, value, QuarkusTransaction::requiringNew);
    }

    private void write(String jobId, String name, Object value,
            Supplier<io.quarkus.narayana.jta.TransactionRunnerOptions> transaction) {
        checkName(name);
        long id = JobId.parse(jobId);
        // checked before the transaction: a refused value must not doom the caller's transaction
        String json = value == null ? null : checkedJson(jobId, id, name, value);
        transaction.get().run(() -> {
            // the job row lock serialises writers of the same job's parameters
            requireJob(jobId, id, true);
            var session = storage.session();
            List<JobParameterEntity> existing = session
                    .createSelectionQuery("from JobParameterEntity p where p.jobId = :job and p.name = :name",
                            JobParameterEntity.class)
                    .setParameter("job", id).setParameter("name", name).getResultList();
            if (json == null) {
                existing.forEach(session::remove);
            } else if (existing.isEmpty()) {
                JobParameterEntity parameter = new JobParameterEntity();
                parameter.setJobId(id);
                parameter.setName(name);
                parameter.setValue(json);
                session.persist(parameter);
            } else {
                existing.get(0).setValue(json);
            }
            session.flush();
        });
    }

    /**
     * The parameters a job filter gave a job about to be created, as the rows to insert with it once its id is known;
     * checked as {@link #set} checks them, before anything is stored. Null values are left out.
     */
    public java.util.function.LongFunction<List<JobSql.ParameterRow>> forNewJob(String jobName,
            java.util.Map<String, Object> values) {
        java.util.Map<String, String> json = new java.util.LinkedHashMap<>();
        values.forEach((name, value) -> {
            checkName(name);
            if (value != null) {
                String encoded = JobArguments.toRoundTripJson(value, "The value of job parameter '" + name + "'");
                limits.checkParameter("(new)", () -> jobName, name, encoded);
                json.put(name, encoded);
            }
        });
        return id -> json.entrySet().stream().map(e -> new JobSql.ParameterRow(id, e.getKey(), e.getValue())).toList();
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("A job parameter name must have 1 to " + MAX_NAME
                    + " characters and no control characters: '" + name + "'");
        }
    }

    /** The value as JSON, refused if it does not read back as the same value or is over the size limit. */
    private String checkedJson(String jobId, long id, String name, Object value) {
        String json = JobArguments.toRoundTripJson(value, "The value of job parameter '" + name + "' of job " + jobId);
        limits.checkParameter(jobId, () -> jobName(jobId, id), name, json);
        return json;
    }

    /** The job's name, for a message about it. */
    private String jobName(String jobId, long id) {
        JobEntity job = storage.read(session -> session.find(JobEntity.class, id));
        if (job == null) {
            throw new JobNotFoundException(jobId);
        }
        return job.getJobName();
    }

    private void requireJob(String jobId, long id, boolean lock) {
        boolean exists = storage.inTransaction(c -> lock ? sql.lockJob(c, id) != null : sql.exists(c, id));
        if (!exists) {
            throw new JobNotFoundException(jobId);
        }
    }
}
