package io.quarkiverse.hangfire.runtime;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.JobCall;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkiverse.hangfire.RecurringJobs;
import io.quarkiverse.hangfire.RecurringOptions;
import io.quarkiverse.hangfire.runtime.recurring.CronSchedule;
import io.quarkiverse.hangfire.runtime.recurring.RecurringJobManager;
import io.quarkiverse.hangfire.runtime.storage.RecurringJobStore.Definition;
import io.quarkiverse.hangfire.runtime.registry.EncodedCall;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.SizeLimits;

/** {@link RecurringJobs} on the recurring job table. */
@Singleton
public class HangfireRecurringJobs implements RecurringJobs {

    private static final int MAX_ID = 200;

    @Inject
    RecurringJobManager manager;

    @Inject
    SizeLimits limits;

    @Override
    public <T> void addOrUpdate(String id, Class<T> jobClass, JobCall<T> call, String cron) {
        addOrUpdate(id, jobClass, call, cron, RecurringOptions.DEFAULTS);
    }

    @Override
    public <T> void addOrUpdate(String id, Class<T> jobClass, JobCall<T> call, String cron, RecurringOptions options) {
        add(id, limits.checked(EncodedCall.captured(jobClass, call)), cron, options);
    }

    @Override
    public void addOrUpdate(String id, String jobName, String cron, RecurringOptions options, Object... arguments) {
        add(id, limits.checked(EncodedCall.named(jobName, arguments)), cron, options);
    }

    private void add(String id, EncodedCall job, String cron, RecurringOptions options) {
        RecurringOptions o = options == null ? RecurringOptions.DEFAULTS : options;
        checkId(id);
        CronSchedule.parse(cron);
        String queue = o.queue() == null ? job.method().queue() : o.queue();
        if (!JobMethod.QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("The queue name '" + queue
                    + "' is invalid; queue names are 1 to 50 lower case letters, digits, '_' or '-'");
        }
        manager.addOrUpdate(new Definition(id, job.method().name(), job.arguments(), cron.trim(), o.zone().getId(), queue,
                o.misfire()));
    }

    @Override
    public boolean removeIfExists(String id) {
        return manager.remove(id);
    }

    @Override
    public String trigger(String id) {
        String jobId = manager.trigger(id);
        if (jobId == null) {
            throw notFound(id);
        }
        return jobId;
    }

    @Override
    public void pause(String id) {
        if (!manager.setPaused(id, true)) {
            throw notFound(id);
        }
    }

    @Override
    public void resume(String id) {
        if (!manager.setPaused(id, false)) {
            throw notFound(id);
        }
    }

    @Override
    public List<RecurringJobInfo> list() {
        return manager.list(null);
    }

    @Override
    public Optional<RecurringJobInfo> get(String id) {
        return manager.list(id).stream().findFirst();
    }

    private static void checkId(String id) {
        if (id == null || id.isBlank() || id.length() > MAX_ID) {
            throw new IllegalArgumentException("A recurring job id must have 1 to " + MAX_ID + " characters: '" + id + "'");
        }
    }

    private static IllegalArgumentException notFound(String id) {
        return new IllegalArgumentException("There is no recurring job '" + id + "'");
    }
}
