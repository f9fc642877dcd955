package io.quarkiverse.hangfire;

/**
 * A call to one {@link BackgroundJob} method for one item of a batch, written as a lambda:
 * {@code (r, customerId) -> r.generate(customerId, month)}. Used by
 * {@link JobScheduler#enqueueAll(Class, Iterable, BatchJobCall)}.
 * <p>
 * Like {@link JobCall}, the lambda runs at once, once per item, on a recording stand-in of the job class: it
 * captures which job method was called and with which arguments, and nothing else happens.
 *
 * @param <T> the class that declares the job method
 * @param <A> the type of the items
 */
@FunctionalInterface
public interface BatchJobCall<T, A> {
    void call(T job, A item) throws Exception;
}
