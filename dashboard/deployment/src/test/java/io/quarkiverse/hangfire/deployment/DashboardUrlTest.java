package io.quarkiverse.hangfire.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.runtime.dashboard.DashboardBuildTimeConfig;
import io.quarkus.resteasy.reactive.server.deployment.ResteasyReactiveDeploymentBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;

/** The Dev UI's dashboard link: HTTP root, then REST application path, then the dashboard path, then a slash. */
class DashboardUrlTest {

    @Test
    void defaultsGiveTheDashboardAtTheRoot() {
        assertThat(url("/", "/", "/hangfire", true)).contains("/hangfire/");
    }

    @Test
    void theHttpRootAndTheRestPathComeFirst() {
        assertThat(url("/app", "/api", "/hangfire", true)).contains("/app/api/hangfire/");
        assertThat(url("/app/", "/api", "ops/jobs/", true)).contains("/app/api/ops/jobs/");
    }

    @Test
    void noLinkWhenTheDashboardIsOff() {
        assertThat(url("/", "/", "/hangfire", false)).isEmpty();
    }

    @Test
    void noLinkWhenNoRestEndpointIsDeployed() {
        assertThat(DashboardProcessor.dashboardUrl(dashboard("/hangfire", true), new HttpRootPathBuildItem("/"),
                Optional.empty())).isEmpty();
    }

    private static Optional<String> url(String httpRoot, String restPath, String dashboardPath, boolean enabled) {
        return DashboardProcessor.dashboardUrl(dashboard(dashboardPath, enabled), new HttpRootPathBuildItem(httpRoot),
                Optional.of(new ResteasyReactiveDeploymentBuildItem(null, restPath)));
    }

    private static DashboardBuildTimeConfig.Dashboard dashboard(String path, boolean enabled) {
        return new DashboardBuildTimeConfig.Dashboard() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String path() {
                return path;
            }
        };
    }
}
