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
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Checks the encryption keys, installs the schema, adds the annotated recurring jobs, then starts this instance's server (unless switched off), and stops it at shutdown. */
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
        if (config.server().enabled()) {
            server = new BackgroundJobServer(config.server(), storage, performer, signals, recurring);
            server.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
