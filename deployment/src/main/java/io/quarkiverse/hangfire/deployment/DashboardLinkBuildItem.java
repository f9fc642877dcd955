package io.quarkiverse.hangfire.deployment;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * Where the dashboard's web UI is, as an absolute path ending in a slash: produced by quarkus-hangfire-dashboard when
 * the dashboard is served, so that the Dev UI card links to it; absent without the dashboard.
 */
public final class DashboardLinkBuildItem extends SimpleBuildItem {

    public final String url;

    public DashboardLinkBuildItem(String url) {
        this.url = url;
    }
}
