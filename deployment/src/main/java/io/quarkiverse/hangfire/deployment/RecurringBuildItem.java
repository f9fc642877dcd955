package io.quarkiverse.hangfire.deployment;

import org.jboss.jandex.MethodInfo;

import io.quarkus.builder.item.MultiBuildItem;

/** A {@code @Recurring} annotation on a job method, read as written. */
public final class RecurringBuildItem extends MultiBuildItem {

    final String id;
    final String jobName;
    /** The job method it is declared on, for messages. */
    final MethodInfo method;
    /** As written: an expression, {@code ${config.key}} or {@code off}; resolved at startup. */
    final String cron;
    final String zone;
    /** Null for the job method's queue. */
    final String queue;
    final String misfire;

    RecurringBuildItem(String id, String jobName, MethodInfo method, String cron, String zone, String queue,
            String misfire) {
        this.id = id;
        this.jobName = jobName;
        this.method = method;
        this.cron = cron;
        this.zone = zone;
        this.queue = queue;
        this.misfire = misfire;
    }
}
