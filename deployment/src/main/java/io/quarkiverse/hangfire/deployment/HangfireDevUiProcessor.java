package io.quarkiverse.hangfire.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.devui.HangfireJsonRpcService;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.resteasy.reactive.server.deployment.ResteasyReactiveDeploymentBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;
import io.quarkus.vertx.http.deployment.NonApplicationRootPathBuildItem;

/**
 * The Dev UI card: live counts from {@link HangfireJsonRpcService}, a link to the dashboard and a table of the job
 * methods found at build time. Dev UI exists only in local dev mode, so every step runs only there.
 */
class HangfireDevUiProcessor {

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    JsonRPCProvidersBuildItem countsService() {
        return new JsonRPCProvidersBuildItem(HangfireJsonRpcService.class);
    }

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    CardPageBuildItem card(List<JobMethodBuildItem> jobs, List<RecurringBuildItem> recurring, HangfireBuildTimeConfig config,
            HttpRootPathBuildItem httpRoot, Optional<ResteasyReactiveDeploymentBuildItem> rest, Optional<MetricsCapabilityBuildItem> metrics,
            NonApplicationRootPathBuildItem nonApplication) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.setCustomCard("qwc-hangfire-card.js");

        Optional<String> dashboard = dashboardUrl(config.dashboard(), httpRoot, rest);
        card.addBuildTimeData("dashboardUrl", dashboard.orElse(""));
        // the dashboard forbids framing (frame-ancestors 'none'), so it opens in its own tab
        dashboard.ifPresent(url -> card.addPage(Page.externalPageBuilder("Dashboard").url(url).doNotEmbed()
                .icon("font-awesome-solid:gauge-high")));

        // with a Prometheus registry, its endpoint lists the hangfire_* meters
        if (ObservabilityProcessor.micrometer(metrics)) {
            card.addPage(Page.externalPageBuilder("Metrics").url(nonApplication.resolvePath("metrics")).isJsonContent()
                    .doNotEmbed().icon("font-awesome-solid:chart-line"));
        }

        card.addBuildTimeData("jobs", jobTable(jobs, recurring));
        card.addPage(Page.tableDataPageBuilder("Job methods").buildTimeDataKey("jobs")
                .showColumn("name").showColumn("queue").showColumn("method").showColumn("recurring")
                .staticLabel(String.valueOf(jobs.size())).icon("font-awesome-solid:list"));
        return card;
    }

    /**
     * Where the dashboard's UI is, as an absolute path ending in a slash. The dashboard is a Jakarta REST resource, so
     * its path lies under the REST application path ({@code quarkus.rest.path} or {@code @ApplicationPath}), itself
     * under {@code quarkus.http.root-path}. Empty when the dashboard is switched off, or when no REST endpoint is
     * deployed at all (then nothing serves it).
     */
    static Optional<String> dashboardUrl(HangfireBuildTimeConfig.Dashboard dashboard, HttpRootPathBuildItem httpRoot,
            Optional<ResteasyReactiveDeploymentBuildItem> rest) {
        if (!dashboard.enabled() || rest.isEmpty()) {
            return Optional.empty();
        }
        String restPath = httpRoot.relativePath(rest.get().getApplicationPath());
        String path = restPath + (restPath.endsWith("/") ? "" : "/") + trimSlashes(dashboard.path());
        return Optional.of(path.endsWith("/") ? path : path + "/");
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /** One row per job method, sorted by job name. */
    private static List<Map<String, String>> jobTable(List<JobMethodBuildItem> jobs, List<RecurringBuildItem> recurring) {
        Map<String, String> schedules = recurring.stream().collect(Collectors.groupingBy(r -> r.jobName,
                Collectors.mapping(r -> r.id + ": " + r.cron, Collectors.joining(", "))));
        List<Map<String, String>> rows = new ArrayList<>();
        for (JobMethodBuildItem job : jobs.stream().sorted(Comparator.comparing(j -> j.name)).toList()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("name", job.name);
            row.put("queue", job.queue);
            row.put("method", job.declaringClass.name() + "#" + job.method.name());
            row.put("recurring", schedules.getOrDefault(job.name, ""));
            rows.add(row);
        }
        return rows;
    }
}
