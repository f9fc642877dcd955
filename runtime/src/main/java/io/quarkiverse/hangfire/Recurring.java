package io.quarkiverse.hangfire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link BackgroundJob} method on a cron schedule. The method takes no stored arguments (a
 * {@link JobContext} parameter is fine). Every application instance adds or updates the recurring job at
 * startup; each occurrence creates exactly one job across all servers. Repeatable, with distinct ids.
 * <p>
 * The build fails, naming the method, when the cron expression or the zone is invalid, the id is taken twice,
 * or the method has stored parameters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Recurring.List.class)
public @interface Recurring {

    /** The recurring job's id, unique across the application. Default: the job's name. */
    String id() default "";

    /**
     * When it runs: a cron expression with optional seconds ({@code "0 0 3 * * *"}, {@code "*&#47;15 * * * *"}) or a
     * macro ({@code @daily}). {@code ${config.key}} reads it from the configuration when the application starts;
     * {@code off} (or {@code -}) disables the recurring job and removes it from storage.
     */
    String cron();

    /** The IANA time zone the cron expression is read in. */
    String zone() default "UTC";

    /** The queue of the created jobs. Default: the job method's queue. */
    String queue() default "";

    /** What happens to occurrences missed while no server ran. */
    Misfire misfire() default Misfire.RELAXED;

    /** Holds repeated {@link Recurring} annotations. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        Recurring[] value();
    }
}
