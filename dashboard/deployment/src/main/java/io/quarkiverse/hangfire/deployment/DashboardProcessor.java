package io.quarkiverse.hangfire.deployment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardActions;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardApi;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardPages;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardQueries;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardRecorder;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews;
import io.quarkiverse.hangfire.runtime.dashboard.JobSearch;
import io.quarkiverse.hangfire.runtime.dashboard.ShownJobs;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.GeneratedResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceDirectoryBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.resteasy.reactive.server.deployment.ResteasyReactiveDeploymentBuildItem;
import io.quarkus.resteasy.reactive.spi.AdditionalResourceClassBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.deployment.FilterBuildItem;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;

/**
 * Serves the dashboard: its resources (the web UI, the reading API, the actions) under the configured path, its UI
 * files, and its OpenAPI document. It is the quarkus-hangfire-dashboard extension; the core knows nothing of it but
 * the {@link DashboardLinkBuildItem} it is given for the Dev UI card.
 */
public class DashboardProcessor {

    static final String FEATURE = "hangfire-dashboard";

    /** The dashboard's REST resources, all under the configured path. */
    private static final List<Class<?>> RESOURCES = List.of(DashboardPages.class, DashboardApi.class,
            DashboardActions.class);

    /** Segments of letters, digits and {@code . _ ~ -}, each after a slash; not the root itself. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+/?");

    /** Whether {@code quarkus.hangfire.dashboard.enabled}. */
    static final class DashboardEnabled implements BooleanSupplier {

        DashboardBuildTimeConfig config;

        @Override
        public boolean getAsBoolean() {
            return config.dashboard().enabled();
        }
    }

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** The Dev UI card's link, when the dashboard is served. */
    @BuildStep(onlyIf = DashboardEnabled.class)
    void link(DashboardBuildTimeConfig config, HttpRootPathBuildItem httpRoot,
            Optional<ResteasyReactiveDeploymentBuildItem> rest, BuildProducer<DashboardLinkBuildItem> link) {
        dashboardUrl(config.dashboard(), httpRoot, rest).map(DashboardLinkBuildItem::new).ifPresent(link::produce);
    }

    /**
     * Where the dashboard's UI is, as an absolute path ending in a slash. The dashboard is a Jakarta REST resource, so
     * its path lies under the REST application path ({@code quarkus.rest.path} or {@code @ApplicationPath}), itself
     * under {@code quarkus.http.root-path}. Empty when the dashboard is switched off, or when no REST endpoint is
     * deployed at all (then nothing serves it).
     */
    static Optional<String> dashboardUrl(DashboardBuildTimeConfig.Dashboard dashboard, HttpRootPathBuildItem httpRoot,
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

    @BuildStep(onlyIf = DashboardEnabled.class)
    AdditionalBeanBuildItem dashboardBeans() {
        return AdditionalBeanBuildItem.builder().setUnremovable()
                .addBeanClasses(RESOURCES.stream().map(Class::getName).toArray(String[]::new))
                .addBeanClasses(DashboardAccess.class, DashboardQueries.class, ShownJobs.class, JobSearch.class).build();
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    AdditionalIndexedClassesBuildItem indexDashboard() {
        List<String> classes = new java.util.ArrayList<>(List.of(JobState.class.getName(), Misfire.class.getName(),
                io.quarkiverse.hangfire.BatchState.class.getName(), io.quarkiverse.hangfire.ContinuationOption.class.getName()));
        RESOURCES.forEach(resource -> classes.add(resource.getName()));
        for (Class<?> view : DashboardViews.class.getDeclaredClasses()) {
            classes.add(view.getName());
        }
        return new AdditionalIndexedClassesBuildItem(classes.toArray(String[]::new));
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    void dashboardResources(CombinedIndexBuildItem index, DashboardBuildTimeConfig config,
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

    /**
     * The security headers, on every answer under the dashboard's path (Quarkus's own 401, 404, 405 and 415
     * included), and on no other path. Before authentication, so that its refusals carry them too.
     */
    @BuildStep(onlyIf = DashboardEnabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    FilterBuildItem dashboardHeaders(DashboardRecorder recorder, HttpRootPathBuildItem httpRoot,
            DashboardBuildTimeConfig config) {
        String restPath = ConfigProvider.getConfig().getOptionalValue("quarkus.rest.path", String.class).orElse("/");
        String dashboardPath = config.dashboard().path();
        String path = httpRoot.resolvePath(join(restPath, dashboardPath));
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new FilterBuildItem(recorder.headers(path), HEADERS_PRIORITY);
    }

    /** Above the CORS (300) and authentication (200) filters, so that the headers are set before they may answer. */
    private static final int HEADERS_PRIORITY = 400;

    private static String join(String base, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return base.endsWith("/") ? base + relative : base + "/" + relative;
    }

    @BuildStep(onlyIf = DashboardEnabled.class)
    void openApiDocument(CombinedIndexBuildItem index, DashboardBuildTimeConfig config,
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
