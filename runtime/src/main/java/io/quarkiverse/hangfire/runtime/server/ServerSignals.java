package io.quarkiverse.hangfire.runtime.server;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkiverse.hangfire.runtime.state.StateChanges;
import io.quarkiverse.hangfire.runtime.state.StateListener;

/**
 * This instance's identity, and how committed state changes reach its server, if it runs one: a committed enqueue
 * wakes its dispatcher, and a change that takes a job out of Processing cancels the run (or drops the job if it
 * was claimed ahead and has not started).
 */
@Singleton
public class ServerSignals implements StateListener {

    @Inject
    HangfireConfig config;

    private volatile String serverId = newServerId();

    private volatile Dispatcher dispatcher;

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

    void attach(Dispatcher running) {
        this.dispatcher = running;
    }

    void detach(Dispatcher stopped) {
        if (dispatcher == stopped) {
            dispatcher = null;
        }
    }

    /** Whether a server runs here, renewing the leases of this instance's claims. */
    public boolean serverRunning() {
        return dispatcher != null;
    }

    @Override
    public void committed(StateChanges changes) {
        for (long claim : changes.revokedClaims()) {
            cancel(claim);
        }
        if (changes.enqueuedAny()) {
            // a local enqueue starts without waiting for the poll
            Dispatcher d = dispatcher;
            if (d != null) {
                d.wake();
            }
        }
    }

    /** Stops the run of the job with this claim, or drops the job if it waits here to start. */
    private void cancel(long claim) {
        Dispatcher d = dispatcher;
        if (d != null && d.dropAhead(claim)) {
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
