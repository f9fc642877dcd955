package io.quarkiverse.hangfire.runtime.dashboard;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dashboard's settings fixed when the application is built (quarkus-hangfire-dashboard). */
@ConfigMapping(prefix = "quarkus.hangfire")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface DashboardBuildTimeConfig {

    /** The dashboard: a web UI and its JSON API, served on the application's own HTTP port. */
    Dashboard dashboard();

    interface Dashboard {

        /**
         * Whether the xref:dashboard.adoc[dashboard] is served at all. When false, its path answers 404 and nothing
         * of it is built in.
         *
         * @asciidoclet
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The path of the dashboard, under the application's REST root. The web UI is at this path, the JSON API
         * under {@code <path>/api}. It must be a path below the root, such as {@code /hangfire} or
         * {@code /ops/jobs}; anything else fails the build.
         */
        @WithDefault("/hangfire")
        String path();
    }
}
