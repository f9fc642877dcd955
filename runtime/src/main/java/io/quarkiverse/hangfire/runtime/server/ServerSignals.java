package io.quarkiverse.hangfire.runtime.server;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

import jakarta.inject.Singleton;

/**
 * How the rest of the extension reaches the server of this instance, if it runs one: committed enqueues
 * wake its fetcher, and state changes that take a job out of Processing cancel the run.
 */
@Singleton
public class ServerSignals {

    private final String serverId = hostName() + ":" + ProcessHandle.current().pid() + ":"
            + UUID.randomUUID().toString().substring(0, 8);

    private volatile BackgroundJobServer server;

    /** This instance's identity: the owner of its claims, also when it only performs jobs by hand. */
    public String serverId() {
        return serverId;
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
        RunningJob running = RunningJob.byClaim(claim);
        if (running != null) {
            running.cancel();
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
