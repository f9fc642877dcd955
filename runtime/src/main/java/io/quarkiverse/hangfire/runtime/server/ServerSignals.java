package io.quarkiverse.hangfire.runtime.server;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;

/**
 * How the rest of the extension reaches the server of this instance, if it runs one: committed enqueues
 * wake its fetcher, and state changes that take a job out of Processing cancel the run.
 */
@Singleton
public class ServerSignals {

    @Inject
    HangfireConfig config;

    private volatile String serverId = newServerId();

    private volatile BackgroundJobServer server;

    /** This instance's identity: the owner of its claims, also when it only performs jobs by hand. */
    public String serverId() {
        return serverId;
    }

    /**
     * Gives this instance a new identity, after it lost its leases: the claims of the old one are no longer
     * renewed, and its workers' late outcomes fail the owner check.
     */
    String renewIdentity() {
        serverId = newServerId();
        return serverId;
    }

    private static String newServerId() {
        return hostName() + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    void attach(BackgroundJobServer running) {
        this.server = running;
    }

    void detach(BackgroundJobServer stopped) {
        if (server == stopped) {
            server = null;
        }
    }

    /** Whether a server runs here, renewing the leases of this instance's claims. */
    public boolean serverRunning() {
        return server != null;
    }

    /** Called after a commit that enqueued jobs: a local enqueue starts without waiting for the poll. */
    public void jobsEnqueued() {
        BackgroundJobServer s = server;
        if (s != null) {
            s.wakeFetcher();
        }
    }

    /** Called after a commit that took the job with this claim out of Processing. */
    public void cancel(long claim) {
        BackgroundJobServer s = server;
        if (s != null && s.dropAhead(claim)) {
            return;
        }
        RunningJob running = RunningJob.byClaim(claim);
        if (running != null) {
            running.cancel(config.server().interruptCancelledJobs());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
