package io.quarkiverse.hangfire.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.quarkiverse.hangfire.runtime.devui.HangfireJsonRpcService;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * The Dev UI card: live counts from {@link HangfireJsonRpcService}, a link to the dashboard when the application has
 * it (quarkus-hangfire-dashboard produces {@link DashboardLinkBuildItem}) and a table of the job methods found at
 * build time. Dev UI exists only in local dev mode, so every step runs only there.
 */
class HangfireDevUiProcessor {

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    JsonRPCProvidersBuildItem countsService() {
        return new JsonRPCProvidersBuildItem(HangfireJsonRpcService.class);
    }

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    CardPageBuildItem card(List<JobMethodBuildItem> jobs, List<RecurringBuildItem> recurring,
            Optional<DashboardLinkBuildItem> dashboardLink, Optional<MetricsCapabilityBuildItem> metrics) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.setCustomCard("qwc-hangfire-card.js");

        Optional<String> dashboard = dashboardLink.map(link -> link.url);
        card.addBuildTimeData("dashboardUrl", dashboard.orElse(""));
        // the dashboard forbids framing (frame-ancestors 'none'), so it opens in its own tab
        dashboard.ifPresent(url -> card.addPage(Page.externalPageBuilder("Dashboard").url(url).doNotEmbed()
                .icon("font-awesome-solid:gauge-high")));

        // with a Prometheus registry, its endpoint (which Micrometer resolved under the non-application root) lists
        // the hangfire_* meters
        if (ObservabilityProcessor.micrometer(metrics) && metrics.get().metricsEndpoint() != null) {
            card.addPage(Page.externalPageBuilder("Metrics").url(metrics.get().metricsEndpoint())
                    .doNotEmbed().icon("font-awesome-solid:chart-line"));
        }

        card.addBuildTimeData("jobs", jobTable(jobs, recurring));
        card.addPage(Page.tableDataPageBuilder("Job methods").buildTimeDataKey("jobs")
                .showColumn("name").showColumn("queue").showColumn("method").showColumn("recurring")
                .staticLabel(String.valueOf(jobs.size())).icon("font-awesome-solid:list"));
        return card;
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
