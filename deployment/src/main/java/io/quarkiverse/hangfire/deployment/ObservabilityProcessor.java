package io.quarkiverse.hangfire.deployment;

import java.util.Optional;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.ExcludedTypeBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

/**
 * The optional integrations with Quarkus's observability extensions, each switched on only when the application has
 * the extension (its capability), so that the core extension depends on none of them.
 */
class ObservabilityProcessor {

    private static final String HEALTH = "io.quarkiverse.hangfire.runtime.health.";
    private static final String TRACING = "io.quarkiverse.hangfire.runtime.tracing.HangfireTracing";
    private static final String METRICS = "io.quarkiverse.hangfire.runtime.metrics.HangfireMetrics";

    /** Readiness (storage, schema, server registered, backlog) and liveness (no stuck server process). */
    @BuildStep
    void healthChecks(Capabilities capabilities, BuildProducer<HealthBuildItem> checks) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            checks.produce(new HealthBuildItem(HEALTH + "HangfireReadinessCheck", true));
            checks.produce(new HealthBuildItem(HEALTH + "HangfireLivenessCheck", true));
        }
    }

    /**
     * Without the extension an integration needs, its classes are never beans, also when the runtime jar becomes a
     * bean archive after all: Hibernate ORM indexes the jar that holds a package named in
     * {@code quarkus.hibernate-orm."<unit>".packages}, as an application with its jobs on a named datasource may name
     * the storage entities' package.
     */
    @BuildStep
    void vetoAbsentIntegrations(Capabilities capabilities, Optional<MetricsCapabilityBuildItem> metrics,
            BuildProducer<ExcludedTypeBuildItem> excluded) {
        if (!capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            excluded.produce(new ExcludedTypeBuildItem(HEALTH + "*"));
        }
        if (!micrometer(metrics)) {
            excluded.produce(new ExcludedTypeBuildItem(METRICS));
        }
        if (!capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            excluded.produce(new ExcludedTypeBuildItem(TRACING));
        }
    }

    /** Whether the application has quarkus-micrometer (Quarkus names no capability for it, but its metrics factory). */
    static boolean micrometer(Optional<MetricsCapabilityBuildItem> metrics) {
        return metrics.isPresent() && metrics.get().metricsSupported(MetricsFactory.MICROMETER);
    }

    /** Counters, timers and gauges in the application's Micrometer registry. */
    @BuildStep
    void metrics(Optional<MetricsCapabilityBuildItem> metrics, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (micrometer(metrics)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(METRICS));
        }
    }

    /** A span per attempt, parented to the span that enqueued the job. */
    @BuildStep
    void tracing(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(TRACING));
        }
    }
}
