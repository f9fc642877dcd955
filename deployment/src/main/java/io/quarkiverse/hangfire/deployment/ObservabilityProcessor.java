package io.quarkiverse.hangfire.deployment;

import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

/**
 * The optional integrations with Quarkus's observability extensions, each switched on only when the application has
 * the extension (its capability), so that the core extension depends on none of them.
 */
class ObservabilityProcessor {

    private static final String HEALTH = "io.quarkiverse.hangfire.runtime.health.";

    /** Readiness (storage, schema, server registered, backlog) and liveness (no stuck server process). */
    @BuildStep
    void healthChecks(Capabilities capabilities, BuildProducer<HealthBuildItem> checks) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            checks.produce(new HealthBuildItem(HEALTH + "HangfireReadinessCheck", true));
            checks.produce(new HealthBuildItem(HEALTH + "HangfireLivenessCheck", true));
        }
    }
}
