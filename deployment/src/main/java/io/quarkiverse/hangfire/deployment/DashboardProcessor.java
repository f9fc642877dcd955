package io.quarkiverse.hangfire.deployment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardActions;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardApi;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardHeaders;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardPages;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardQueries;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews;
import io.quarkiverse.hangfire.runtime.dashboard.JobSearch;
import io.quarkiverse.hangfire.runtime.dashboard.ShownJobs;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.GeneratedResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceDirectoryBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.resteasy.reactive.spi.AdditionalResourceClassBuildItem;
import io.quarkus.resteasy.reactive.spi.ContainerResponseFilterBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Serves the dashboard: its resources (the web UI, the reading API, the actions) under the configured path, its UI
 * files, and its OpenAPI document.
 */
public class DashboardProcessor {

    /** The dashboard's REST resources, all under the configured path. */
    private static final List<Class<?>> RESOURCES = List.of(DashboardPages.class, DashboardApi.class,
            DashboardActions.class);

    /** Segments of letters, digits and {@code . _ ~ -}, each after a slash; not the root itself. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+/?");

    /** Whether {@code quarkus.hangfire.dashboard.enabled}. */
    static final class DashboardEnabled implements BooleanSupplier {

        HangfireBuildTimeConfig config;

        @Override
        public boolean getAsBoolean() {
            return config.dashboard().enabled();
        }
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    AdditionalBeanBuildItem dashboardBeans() {
        return AdditionalBeanBuildItem.builder().setUnremovable()
                .addBeanClasses(RESOURCES.stream().map(Class::getName).toArray(String[]::new))
                .addBeanClasses(DashboardAccess.class, DashboardQueries.class, ShownJobs.class, JobSearch.class).build();
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    AdditionalIndexedClassesBuildItem indexDashboard() {
        // the binding annotation too: REST reads from the index that it is a @NameBinding
        List<String> classes = new java.util.ArrayList<>(List.of(JobState.class.getName(), Misfire.class.getName(),
                DashboardHeaders.Bound.class.getName()));
        RESOURCES.forEach(resource -> classes.add(resource.getName()));
        for (Class<?> view : DashboardViews.class.getDeclaredClasses()) {
            classes.add(view.getName());
        }
        return new AdditionalIndexedClassesBuildItem(classes.toArray(String[]::new));
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    void dashboardResources(CombinedIndexBuildItem index, HangfireBuildTimeConfig config,
            BuildProducer<AdditionalResourceClassBuildItem> resources) {
        String path = config.dashboard().path();
        if (!PATH.matcher(path).matches()) {
            throw new ConfigurationException("quarkus.hangfire.dashboard.path is '" + path + "'; it must be a path below the"
                    + " root such as /hangfire or /ops/jobs (letters, digits and . _ ~ - between slashes)",
                    Set.of("quarkus.hangfire.dashboard.path"));
        }
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Class<?> resource : RESOURCES) {
            resources.produce(new AdditionalResourceClassBuildItem(index.getIndex().getClassByName(resource.getName()),
                    trimmed));
        }
    }

    /** The security headers, on the dashboard's answers only. */
    @BuildStep(onlyIf = DashboardEnabled.class)
    ContainerResponseFilterBuildItem dashboardHeaders() {
        return new ContainerResponseFilterBuildItem.Builder(DashboardHeaders.class.getName())
                .setNameBindingNames(Set.of(DashboardHeaders.Bound.class.getName())).setRegisterAsBean(true)
                .setPriority(jakarta.ws.rs.Priorities.HEADER_DECORATOR).build();
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    void openApiDocument(CombinedIndexBuildItem index, HangfireBuildTimeConfig config,
            BuildProducer<GeneratedResourceBuildItem> generated, BuildProducer<NativeImageResourceBuildItem> nativeResources) {
        String document = new DashboardOpenApi(index.getIndex()).write();
        generated.produce(new GeneratedResourceBuildItem(DashboardPages.OPENAPI_RESOURCE,
                document.getBytes(StandardCharsets.UTF_8)));
        nativeResources.produce(new NativeImageResourceBuildItem(DashboardPages.OPENAPI_RESOURCE,
                DashboardPages.CHART_JS_RESOURCE));
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    void nativeImage(BuildProducer<NativeImageResourceDirectoryBuildItem> directories,
            BuildProducer<ReflectiveClassBuildItem> reflection) {
        directories.produce(new NativeImageResourceDirectoryBuildItem("META-INF/hangfire-dashboard"));
        // the API's JSON, written and read by Jackson
        reflection.produce(ReflectiveClassBuildItem.builder(DashboardViews.class.getDeclaredClasses()).constructors()
                .methods().fields().build());
    }
}
