package io.quarkiverse.hangfire.runtime.health;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.server.ServerLifecycle;
import io.quarkiverse.hangfire.runtime.server.ServerLoopStatus;
import io.quarkiverse.hangfire.runtime.server.ServerStatus;

/**
 * Alive while every process of this instance's server makes progress: none has been in one round for longer than
 * three of its intervals and {@code quarkus.hangfire.health.stuck-process-after} (a database call that hangs), and
 * none's thread died. A database that refuses connections is no liveness problem (the loops fail fast and retry;
 * readiness reports it). Registered only when the application has quarkus-smallrye-health.
 */
@Liveness
@ApplicationScoped
public class HangfireLivenessCheck implements HealthCheck {

    private static final int INTERVALS = 3;

    @Inject
    ServerLifecycle server;

    @Inject
    HangfireConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(HangfireReadinessCheck.NAME).up();
        Optional<ServerStatus> status = server.status();
        if (status.isEmpty()) {
            return response.withData("server", config.server().enabled() ? "not running" : "disabled").build();
        }
        List<ServerLoopStatus> stuck = status.get().loops().stream()
                .filter(loop -> loop.stuck(INTERVALS, config.health().stuckProcessAfter())).toList();
        response.withData("server", status.get().serverId()).withData("processes", status.get().loops().size());
        for (ServerLoopStatus loop : stuck) {
            response.withData(loop.process(), loop.alive()
                    ? "stuck: in one round for " + loop.roundRunningFor().toSeconds() + "s"
                    : "stopped: its thread died");
        }
        return response.status(stuck.isEmpty()).build();
    }
}
