package io.quarkiverse.hangfire.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkus.builder.ConsumeFlag;
import io.quarkus.builder.ConsumeFlags;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.PageBuilder;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With the core artifact alone (this module has no quarkus-hangfire-dashboard), the Dev UI card has no dashboard link:
 * no dashboard page and an empty {@code dashboardUrl}, which the card's script reads to leave the link out. The card is
 * built by {@link HangfireDevUiProcessor#card} from what this application's build chain produced: the card step runs
 * only in local dev mode, and Dev UI needs an HTTP server this module does not have, so a step added to the build
 * chain builds it and hands its pages and data to the test (in system properties, which both class loaders see).
 * With the dashboard present, the link is there: {@code DevUiCardTest} in dashboard/deployment, in dev mode.
 */
class DevUiCardWithoutDashboardTest {

    static final String PAGES = "hangfire.test.devui.pages";
    static final String DASHBOARD_URL = "hangfire.test.devui.dashboard-url";

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(CardJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:devui-core;DB_CLOSE_DELAY=-1")
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .overrideConfigKey("quarkus.hangfire.server.enabled", "false")
            .addBuildChainCustomizer(chain -> chain.addBuildStep(context -> {
                CardPageBuildItem card = new HangfireDevUiProcessor().card(context.consumeMulti(JobMethodBuildItem.class),
                        context.consumeMulti(RecurringBuildItem.class),
                        Optional.ofNullable(context.consume(DashboardLinkBuildItem.class)),
                        Optional.ofNullable(context.consume(MetricsCapabilityBuildItem.class)));
                System.setProperty(PAGES, card.getPages().stream().map(PageBuilder::build).map(p -> p.getTitle())
                        .collect(Collectors.joining(",")));
                System.setProperty(DASHBOARD_URL, String.valueOf(card.getBuildTimeData().get("dashboardUrl").getContent()));
                context.produce(new FeatureBuildItem("hangfire-devui-card-check"));
            }).consumes(JobMethodBuildItem.class).consumes(RecurringBuildItem.class)
                    .consumes(DashboardLinkBuildItem.class, ConsumeFlags.of(ConsumeFlag.OPTIONAL))
                    .consumes(MetricsCapabilityBuildItem.class, ConsumeFlags.of(ConsumeFlag.OPTIONAL))
                    .produces(FeatureBuildItem.class).build());

    @Test
    void theCardHasNoDashboardLink() {
        assertThat(System.getProperty(PAGES)).as("the card's pages").isNotNull();
        assertThat(List.of(System.getProperty(PAGES).split(","))).containsExactly("Job methods");
        assertThat(System.getProperty(DASHBOARD_URL)).as("the dashboardUrl the card's script reads").isEmpty();
    }

    public static class CardJobs {

        @BackgroundJob
        public void run() {
        }
    }
}
