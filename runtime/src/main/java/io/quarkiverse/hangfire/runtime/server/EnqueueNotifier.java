package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.state.StateChanges;
import io.quarkiverse.hangfire.runtime.state.StateListener;
import io.quarkiverse.hangfire.runtime.storage.EnqueueChannel;

/**
 * Tells the other instances on PostgreSQL that jobs were enqueued here (the {@link EnqueueChannel}), from a loop of
 * its own after the enqueue committed: whatever enqueued them (an API call, a due scheduled job, a retry, a requeue,
 * a continuation) only notes the queues and wakes the loop, which sends one {@code NOTIFY} for everything noted
 * since its last one. It runs in every instance on PostgreSQL, also those without a server, whose enqueues other
 * servers run.
 * <p>
 * Why not a {@code NOTIFY} in the enqueuing transaction, which PostgreSQL would deliver at its commit: it would add
 * a statement and a round trip to every caller's enqueue (the call users make most, often one per web request), and
 * a lock that PostgreSQL takes at the commit of every notifying transaction, serialising the enqueues of all
 * instances. Sent from here, the caller pays a set insertion and a wake-up; the other servers hear about the job
 * one round trip after its commit, and a burst of enqueues costs one message per {@link #GAP}. The price is that a
 * message can be lost if this instance dies between the commit and the send; the other servers then find the job
 * at their next poll, as they do when the channel is down.
 */
@Singleton
public class EnqueueNotifier implements StateListener {

    /** The least time between two messages: a burst of enqueues shares one, and each costs every listener a claim. */
    static final Duration GAP = Duration.ofMillis(2);
    /** How long the loop sleeps when nothing is enqueued; a wake ends it. */
    private static final Duration IDLE = Duration.ofMinutes(1);

    /** Names this instance in its messages, so that its own server, woken directly, ignores them. */
    final String instance = UUID.randomUUID().toString().substring(0, 13);

    @Inject
    EnqueueChannel channel;

    /** The queues with jobs enqueued since the last message. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile ServerLoop loop;

    /** Starts the loop if the channel is in use (on PostgreSQL, unless switched off). */
    void start() {
        if (loop == null && channel.available()) {
            ServerLoop started = ServerLoop.busy("enqueue notifier", IDLE, this::sendPending);
            started.start();
            loop = started;
        }
    }

    /** Sends what is pending and stops the loop; called after the server stopped, whose last outcomes may enqueue. */
    void stop() {
        ServerLoop running = loop;
        if (running == null) {
            return;
        }
        running.requestStop();
        if (running.join(Duration.ofSeconds(2)) && !pending.isEmpty()) {
            // the loop's thread has ended: its connection is free for this last message
            running.attempt(() -> send(running));
            running.connection().release();
        }
        loop = null;
    }

    @Override
    public void committed(StateChanges changes) {
        ServerLoop running = loop;
        if (running != null && changes.enqueuedAny()) {
            pending.addAll(changes.enqueuedQueues());
            running.wake();
        }
    }

    private boolean sendPending() throws InterruptedException {
        ServerLoop running = loop;
        if (running == null || pending.isEmpty()) {
            return false;
        }
        send(running);
        // the enqueues of the next moment share the next message (their wakes skip the loop's sleep)
        Thread.sleep(GAP.toMillis());
        return false;
    }

    private void send(ServerLoop running) {
        List<String> queues = List.copyOf(new TreeSet<>(pending));
        pending.removeAll(queues);
        try {
            channel.publish(running.connection(), instance, queues);
        } catch (RuntimeException e) {
            // sent again once the database answers; the other servers poll meanwhile
            pending.addAll(queues);
            throw e;
        }
    }
}
