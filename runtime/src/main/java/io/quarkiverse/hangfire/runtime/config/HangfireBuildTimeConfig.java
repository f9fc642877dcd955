package io.quarkiverse.hangfire.runtime.config;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings fixed when the application is built. */
@ConfigMapping(prefix = "quarkus.hangfire")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface HangfireBuildTimeConfig {

    /**
     * Prefix of every table Quarkus Hangfire creates and uses ({@code hangfire_job}, {@code hangfire_job_queue},
     * ...). Letters, digits and underscores. Changing it requires a rebuild, and the application then no
     * longer sees the jobs stored under the old prefix.
     */
    @WithDefault("hangfire_")
    String tablePrefix();
}
