package io.quarkiverse.hangfire.runtime.server;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

/** Logs a failing background loop once when it starts failing and once when it recovers, not per attempt. */
final class OutageLog {

    private static final Logger LOG = Logger.getLogger("io.quarkiverse.hangfire.server");
    private final String loop;
    private final AtomicBoolean failing = new AtomicBoolean();

    OutageLog(String loop) {
        this.loop = loop;
    }

    void failed(Throwable e) {
        if (failing.compareAndSet(false, true)) {
            LOG.warnf(e, "Hangfire %s failed; retrying in the background until the database answers again", loop);
        } else {
            LOG.debugf("Hangfire %s still failing: %s", loop, e);
        }
    }

    boolean isFailing() {
        return failing.get();
    }

    void succeeded() {
        if (failing.compareAndSet(true, false)) {
            LOG.infof("Hangfire %s works again", loop);
        }
    }
}
