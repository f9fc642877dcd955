package io.quarkiverse.hangfire.runtime.config;

import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings fixed when the application is built. */
@ConfigMapping(prefix = "quarkus.hangfire")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface HangfireBuildTimeConfig {

    /**
     * Prefix of every table Quarkus Hangfire creates and uses ({@code hangfire_job}, {@code hangfire_job_state},
     * ...). Letters, digits and underscores: it must start with a letter and have at most 30 characters. Changing
     * it requires a rebuild, and the application then no longer sees the jobs stored under the old prefix.
     */
    @WithDefault("hangfire_")
    String tablePrefix();

    /**
     * The datasource the jobs are stored in, by name: `quarkus.hangfire.datasource=jobs` stores them through
     * `quarkus.datasource."jobs".*`, in the persistence unit that uses it (`quarkus.hibernate-orm."jobs".datasource=jobs`),
     * which the extension's entities join. The schema, the servers' connections and the transactions then all use
     * that database; a caller's transaction is joined as before. The build fails when no such datasource is
     * configured, or when no persistence unit (or more than one) uses it. See
     * xref:datasource.adoc[Jobs on their own database].
     *
     * @asciidoclet
     */
    @ConfigDocDefault("the default datasource")
    Optional<String> datasource();

    /**
     * Job method parameters whose values are encrypted before they are stored, as if annotated
     * `@Sensitive`: `<job name>.<parameter>` for one job (`PaymentJobs.charge.cardNumber`, the job name as in
     * `@BackgroundJob(name)`, by default `SimpleClassName.method`), or a parameter name alone for that parameter in
     * every job (`password`). The build fails when an entry matches no parameter of any job method. Parameter
     * names need the Java compiler's `-parameters` flag (Quarkus sets it). See
     * xref:sensitive-arguments.adoc[Sensitive arguments].
     *
     * @asciidoclet
     */
    Optional<List<String>> sensitiveParameters();
}
