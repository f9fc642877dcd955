package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.runtime.storage.LoopConnection;

/**
 * Runs one process of the server on a daemon thread of its own: its round again and again until stopped, sleeping
 * between rounds. Every process shares this loop, so that sleeping, waking, backing off and logging an outage are
 * written once:
 * <ul>
 * <li>a round that reports more work waiting is followed at once by the next; otherwise the loop sleeps its
 * interval, cut short by {@link #wake()} (a wake during the round skips the sleep, so none is lost) or a stop;</li>
 * <li>a round that throws is retried after a pause: the interval of a periodic loop, at least a second for a busy
 * loop, which would otherwise retry at once against a database that is down;</li>
 * <li>a failing loop says so once per outage: a warning when it starts failing, a line when it works again, and
 * only debug lines in between;</li>
 * <li>the loop's {@link #connection() connection} is given back to the pool whenever it sleeps, and at the end.</li>
 * </ul>
 */
final class ServerLoop {

    /** One round of a process. */
    @FunctionalInterface
    interface Round {
        /**
         * Does one round of work; returns true when more is waiting and the next round should start at once. Throws
         * when the round failed (the database did not answer, for example).
         */
        boolean run() throws InterruptedException;
    }

    /**
     * A round of {@code steps} taken in turn, each working through a bounded batch and returning whether its batch
     * came back full: a full batch ends the round (more is waiting, so the loop runs again at once), so that a
     * backlog is worked off before the later steps run. The clean-up processes are rounds of this shape.
     */
    static Round inTurn(Round... steps) {
        return () -> {
            for (Round step : steps) {
                if (step.run()) {
                    return true;
                }
            }
            return false;
        };
    }

    private static final Logger LOG = Logger.getLogger("io.quarkiverse.hangfire.server");
    /** A periodic timer has a floor: a zero or tiny interval would spin. */
    private static final long MIN_INTERVAL_MILLIS = 10;
    /** The least a busy loop waits after a failed round. */
    private static final long MIN_FAILURE_PAUSE_MILLIS = 1000;

    private final String activity;
    private final Round round;
    private final long firstDelayMillis;
    private final long intervalMillis;
    private final long failurePauseMillis;
    private final LoopConnection connection = new LoopConnection();
    private final AtomicBoolean failing = new AtomicBoolean();

    private final Object monitor = new Object();
    /** Guarded by {@link #monitor}: a wake since the current round began. */
    private boolean wakeRequested;
    private volatile boolean running = true;
    private volatile Thread thread;
    /** When the round in progress began (System.nanoTime), or 0 between rounds and while a round waits for work. */
    private volatile long roundSince;

    private ServerLoop(String activity, Round round, long firstDelayMillis, long intervalMillis,
            long failurePauseMillis) {
        this.activity = activity;
        this.round = round;
        this.firstDelayMillis = firstDelayMillis;
        this.intervalMillis = intervalMillis;
        this.failurePauseMillis = failurePauseMillis;
    }

    /**
     * A loop that runs {@code round} every {@code interval}, the first time one interval after it starts, and
     * retries a failed round one interval later.
     *
     * @param activity what it does, as its log lines and its thread name say ("Hangfire heartbeat failed; ...")
     */
    static ServerLoop every(String activity, Duration interval, Round round) {
        long millis = Math.max(MIN_INTERVAL_MILLIS, interval.toMillis());
        return new ServerLoop(activity, round, millis, millis, millis);
    }

    /**
     * A loop that runs {@code round} at once and again right after every round that reports more work; after one
     * that does not, it sleeps {@code idleWait} (zero: not at all, the round waits for work itself) or until woken.
     */
    static ServerLoop busy(String activity, Duration idleWait, Round round) {
        long millis = Math.max(0, idleWait.toMillis());
        return new ServerLoop(activity, round, 0, millis, Math.max(millis, MIN_FAILURE_PAUSE_MILLIS));
    }

    void start() {
        thread = new Thread(this::loop, "hangfire-" + activity.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    /** False once a stop was asked for: a round that waits for something stops waiting. */
    boolean running() {
        return running;
    }

    /** The longest the sleep after the round in progress may last, in milliseconds; -1: its interval. */
    private volatile long nextWaitMillis = -1;

    /** Shortens the sleep after the round in progress to at most {@code wait} (zero or less: no sleep). */
    void nextWaitAtMost(java.time.Duration wait) {
        nextWaitMillis = Math.max(0, wait.toMillis());
    }

    /** Cuts the loop's sleep short; a wake during a round skips the sleep after it. */
    void wake() {
        synchronized (monitor) {
            wakeRequested = true;
            monitor.notifyAll();
        }
    }

    /** Asks the loop to stop after the round in progress, and ends its sleep. */
    void requestStop() {
        running = false;
        wake();
    }

    /** Waits up to {@code timeout} for the loop's thread to end (not at all when zero); returns whether it ended. */
    boolean join(Duration timeout) {
        if (thread == null) {
            return true;
        }
        if (!timeout.isZero() && !timeout.isNegative()) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !thread.isAlive();
    }

    /** Interrupts the round in progress, if any, after {@link #requestStop()}. */
    void interrupt() {
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
        }
    }

    /** Asks the loop to stop and interrupts the round in progress, without waiting for it. */
    void stopNow() {
        requestStop();
        interrupt();
    }

    /**
     * Says that the round in progress waits for work (the dispatcher for an idle worker), which is no hang: the
     * health check does not count the wait. {@link #working()} ends it.
     */
    void waitingForWork() {
        roundSince = 0;
    }

    /** The round in progress works again after {@link #waitingForWork()}. */
    void working() {
        roundSince = System.nanoTime();
    }

    /** How this loop is doing, for the health check. */
    ServerLoopStatus status() {
        long since = roundSince;
        Thread t = thread;
        return new ServerLoopStatus(activity, Duration.ofMillis(Math.max(intervalMillis, failurePauseMillis)),
                since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since),
                t == null || t.isAlive(), failing.get());
    }

    /** The connection this loop keeps between its transactions while it is busy; only its thread may use it. */
    LoopConnection connection() {
        return connection;
    }

    /**
     * Runs {@code work} on the caller's thread as if it were a round of this loop, for the loop's outage log: used
     * for a first attempt before the loop starts and a last one after it stopped. Returns whether it succeeded.
     */
    boolean attempt(Runnable work) {
        try {
            work.run();
            succeeded();
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    private void loop() {
        try {
            if (firstDelayMillis > 0 && !await(firstDelayMillis, false)) {
                return;
            }
            while (running) {
                synchronized (monitor) {
                    wakeRequested = false;
                }
                boolean more;
                try {
                    roundSince = System.nanoTime();
                    more = round.run();
                    succeeded();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    roundSince = 0;
                    if (!running) {
                        // the stop cut the round short
                        LOG.debugf("Hangfire %s ended by the shutdown: %s", activity, e);
                        return;
                    }
                    failed(e);
                    if (!await(failurePauseMillis, false)) {
                        return;
                    }
                    continue;
                }
                roundSince = 0;
                long wait = nextWaitMillis < 0 ? intervalMillis : Math.min(intervalMillis, nextWaitMillis);
                nextWaitMillis = -1;
                if (!more && wait > 0 && !await(wait, true)) {
                    return;
                }
            }
        } catch (Error e) {
            LOG.errorf(e, "Hangfire %s stopped by an error; this server no longer runs it until restarted", activity);
            throw e;
        } finally {
            connection.release();
        }
    }

    /**
     * Waits up to {@code millis}, ended early by a stop and, when {@code wakeable}, by a wake; returns false when the
     * loop should end. The connection goes back to the pool meanwhile.
     */
    private boolean await(long millis, boolean wakeable) {
        connection.release();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (monitor) {
            try {
                long left;
                while (running && !(wakeable && wakeRequested) && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
            } catch (InterruptedException e) {
                return false;
            }
        }
        return running;
    }

    private void failed(RuntimeException e) {
        if (failing.compareAndSet(false, true)) {
            LOG.warnf(e, "Hangfire %s failed; retrying in the background until the database answers again", activity);
        } else {
            LOG.debugf("Hangfire %s still failing: %s", activity, e);
        }
    }

    private void succeeded() {
        if (failing.compareAndSet(true, false)) {
            LOG.infof("Hangfire %s works again", activity);
        }
    }
}
