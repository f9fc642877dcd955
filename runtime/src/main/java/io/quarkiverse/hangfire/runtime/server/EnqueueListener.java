package io.quarkiverse.hangfire.runtime.server;

import java.time.Duration;
import java.util.List;

import io.quarkiverse.hangfire.runtime.storage.EnqueueChannel;
import io.quarkiverse.hangfire.runtime.storage.EnqueueChannel.Message;
import io.quarkiverse.hangfire.runtime.storage.EnqueueChannel.Subscription;

/**
 * On PostgreSQL, listens on the {@link EnqueueChannel} for jobs enqueued by other instances and wakes the
 * {@link Dispatcher} when they are in a queue it serves, so that it claims them at once rather than at its next
 * poll. It holds one connection of the pool for this, and takes a new one when that connection breaks (after a
 * pause, as every failing loop does) or has been held for a few minutes. While it cannot listen, the dispatcher
 * finds the jobs by polling; once it listens again it wakes the dispatcher, for the jobs enqueued meanwhile.
 */
final class EnqueueListener {

    /** How long one round waits for messages: also how long a stop may wait for it. */
    private static final Duration WAIT = Duration.ofMillis(500);

    private final EnqueueChannel channel;
    private final Dispatcher dispatcher;
    private final String ownInstance;
    private final ServerLoop loop;
    /** Used by the loop's thread only. */
    private Subscription subscription;

    EnqueueListener(EnqueueChannel channel, Dispatcher dispatcher, String ownInstance) {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.ownInstance = ownInstance;
        this.loop = ServerLoop.busy("enqueue listener", Duration.ZERO, this::listen);
    }

    void start() {
        loop.start();
    }

    void stop() {
        loop.requestStop();
        if (!loop.join(WAIT.multipliedBy(4))) {
            loop.interrupt();
        }
    }

    /** Waits for messages once; true, as the next round should start at once. */
    private boolean listen() {
        try {
            if (subscription == null || subscription.old()) {
                Subscription fresh = channel.subscribe();
                closeSubscription();
                subscription = fresh;
                // what was enqueued while nobody listened here
                dispatcher.wake();
            }
            List<Message> messages = subscription.await(WAIT);
            if (messages.stream().anyMatch(m -> !m.sender().equals(ownInstance) && m.concerns(dispatcher.queues()))) {
                dispatcher.wake();
            }
            return true;
        } catch (RuntimeException | Error e) {
            closeSubscription();
            throw e;
        } finally {
            if (!loop.running()) {
                closeSubscription();
            }
        }
    }

    private void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
