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

    /** The dashboard: a web UI and its JSON API, served on the application's own HTTP port. */
    Dashboard dashboard();

    interface Dashboard {

        /** Whether the dashboard is served at all. When false, its path answers 404 and nothing of it is built in. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The path of the dashboard, under the application's REST root. The web UI is at this path, the JSON API
         * under {@code <path>/api}.
         */
        @WithDefault("/hangfire")
        String path();
    }
}
