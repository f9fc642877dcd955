package io.quarkiverse.hangfire.runtime.server;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.crypto.ArgumentCipher;
import io.quarkiverse.hangfire.runtime.recurring.RecurringJobManager;
import io.quarkiverse.hangfire.runtime.recurring.RecurringSync;
import io.quarkiverse.hangfire.runtime.registry.SensitiveArguments;
import io.quarkiverse.hangfire.runtime.storage.EnqueueChannel;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Checks the encryption keys, installs the schema, adds the annotated recurring jobs, then starts the
 * {@link EnqueueNotifier} (on PostgreSQL) and this instance's server (unless switched off), and stops them at
 * shutdown, the notifier last, as the server's last outcomes may enqueue continuations.
 */
@Singleton
public class ServerLifecycle {

    @Inject
    HangfireConfig config;

    @Inject
    SchemaInstaller schema;

    @Inject
    ServerTransactions storage;

    @Inject
    JobPerformer performer;

    @Inject
    ServerSignals signals;

    @Inject
    RecurringJobManager recurring;

    @Inject
    RecurringSync recurringSync;

    @Inject
    ArgumentCipher cipher;

    @Inject
    EnqueueChannel channel;

    @Inject
    EnqueueNotifier notifier;

    private volatile BackgroundJobServer server;

    /** How this instance's server is doing; empty when it runs none (switched off, or stopped). */
    public java.util.Optional<ServerStatus> status() {
        BackgroundJobServer running = server;
        return running == null ? java.util.Optional.empty() : java.util.Optional.of(running.status());
    }

    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        cipher.requireKeyFor(SensitiveArguments.jobsWithSensitiveArguments());
        schema.install(config.schema().create());
        recurringSync.synchronize();
        notifier.start();
        if (config.server().enabled()) {
            performer.checkConnectionsFor(HangfireConfig.effectiveWorkers(config.server()));
            server = new BackgroundJobServer(config.server(), storage, performer, signals, recurring, channel, notifier);
            server.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stop();
            server = null;
        }
        notifier.stop();
    }
}
