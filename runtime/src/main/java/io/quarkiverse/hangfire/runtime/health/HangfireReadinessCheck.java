package io.quarkiverse.hangfire.runtime.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.monitoring.BacklogSnapshot;
import io.quarkiverse.hangfire.runtime.server.ServerLifecycle;
import io.quarkiverse.hangfire.runtime.server.ServerStatus;
import io.quarkiverse.hangfire.runtime.storage.JobClock;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;

/**
 * Ready when the database answers, its Hangfire schema is the version this code needs, this instance's server (if
 * it runs one) is registered and not fenced, and no queue's oldest waiting job is older than its DOWN threshold.
 * Registered only when the application has quarkus-smallrye-health.
 */
@Readiness
@ApplicationScoped
public class HangfireReadinessCheck implements HealthCheck {

    static final String NAME = "Hangfire";

    @Inject
    SchemaInstaller schema;

    @Inject
    ServerLifecycle server;

    @Inject
    BacklogSnapshot backlog;

    @Inject
    HangfireConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        boolean up = true;
        try {
            int version = schema.installedVersion(config.health().storageTimeout());
            response.withData("storage", "reachable").withData("schemaVersion", version);
            if (version != SchemaInstaller.CURRENT_VERSION) {
                up = false;
                response.withData("schema", "version " + version + " installed, " + SchemaInstaller.CURRENT_VERSION
                        + " needed");
            }
        } catch (RuntimeException e) {
            up = false;
            response.withData("storage", "unreachable: " + rootMessage(e));
        }
        Optional<ServerStatus> status = server.status();
        if (!config.server().enabled()) {
            response.withData("server", "disabled");
        } else if (status.isEmpty()) {
            up = false;
            response.withData("server", "not running");
        } else if (!status.get().registered()) {
            up = false;
            response.withData("server", status.get().serverId() + " not registered (it lost the database or its leases"
                    + " and registers again once it can)");
        } else {
            response.withData("server", status.get().serverId());
        }
        if (up) {
            up = checkBacklog(response);
        }
        return response.status(up).build();
    }

    /** Adds each queue's oldest waiting age, and the warnings; false when a queue is over its DOWN threshold. */
    private boolean checkBacklog(HealthCheckResponseBuilder response) {
        BacklogSnapshot.Snapshot snapshot;
        try {
            snapshot = backlog.current();
        } catch (RuntimeException e) {
            response.withData("backlog", "unknown: " + rootMessage(e));
            return true;
        }
        Instant now = JobClock.now();
        boolean up = true;
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, BacklogSnapshot.QueueBacklog> queue : snapshot.queues().entrySet()) {
            Duration age = queue.getValue().oldestAge(now);
            response.withData("queue." + queue.getKey() + ".oldestEnqueuedSeconds", age.toSeconds());
            Optional<HangfireConfig.Queue> own = Optional.ofNullable(config.queue().get(queue.getKey()));
            Optional<Duration> down = own.flatMap(HangfireConfig.Queue::oldestEnqueuedDown)
                    .or(() -> config.health().oldestEnqueuedDown());
            Optional<Duration> warning = own.flatMap(HangfireConfig.Queue::oldestEnqueuedWarning)
                    .or(() -> config.health().oldestEnqueuedWarning());
            if (down.isPresent() && age.compareTo(down.get()) > 0) {
                up = false;
                warnings.add("queue '" + queue.getKey() + "': oldest job waiting " + age.toSeconds() + "s, over the DOWN"
                        + " threshold of " + down.get().toSeconds() + "s");
            } else if (warning.isPresent() && age.compareTo(warning.get()) > 0) {
                warnings.add("queue '" + queue.getKey() + "': oldest job waiting " + age.toSeconds() + "s, over the"
                        + " warning threshold of " + warning.get().toSeconds() + "s");
            }
        }
        if (!warnings.isEmpty()) {
            response.withData("backlog", String.join("; ", warnings));
        }
        return up;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
