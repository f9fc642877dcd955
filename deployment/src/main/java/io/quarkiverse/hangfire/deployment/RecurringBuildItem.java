package io.quarkiverse.hangfire.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/** A valid {@code @Recurring} annotation on a job method. */
public final class RecurringBuildItem extends MultiBuildItem {

    final String id;
    final String jobName;
    /** As written: an expression, {@code ${config.key}} or {@code off}; resolved at startup. */
    final String cron;
    final String zone;
    /** Null for the job method's queue. */
    final String queue;
    final String misfire;

    RecurringBuildItem(String id, String jobName, String cron, String zone, String queue, String misfire) {
        this.id = id;
        this.jobName = jobName;
        this.cron = cron;
        this.zone = zone;
        this.queue = queue;
        this.misfire = misfire;
    }
}
