package io.quarkiverse.hangfire;

import java.time.ZoneId;

/**
 * Options of a recurring job added through {@link RecurringJobs}.
 *
 * @param zone the time zone of the cron expression
 * @param queue the queue of the created jobs, or null for the job method's queue
 * @param misfire what happens to occurrences missed while no server ran
 */
public record RecurringOptions(ZoneId zone, String queue, Misfire misfire) {

    /** UTC, the method's queue, {@link Misfire#RELAXED}. */
    public static final RecurringOptions DEFAULTS = new RecurringOptions(ZoneId.of("UTC"), null, Misfire.RELAXED);

    public RecurringOptions {
        zone = zone == null ? ZoneId.of("UTC") : zone;
        misfire = misfire == null ? Misfire.RELAXED : misfire;
    }

    public RecurringOptions withZone(ZoneId zone) {
        return new RecurringOptions(zone, queue, misfire);
    }

    public RecurringOptions withQueue(String queue) {
        return new RecurringOptions(zone, queue, misfire);
    }

    public RecurringOptions withMisfire(Misfire misfire) {
        return new RecurringOptions(zone, queue, misfire);
    }
}
