package io.quarkiverse.hangfire;

/**
 * A call to one {@link BackgroundJob} method, written as a lambda: {@code r -> r.generate(42, month)}.
 * <p>
 * The lambda runs at once, on a recording stand-in of the job class, not on the bean: it captures which
 * job method was called and with which arguments, and nothing else happens. Calling no job method, more
 * than one, or another method of the class is an {@link IllegalArgumentException} at the call.
 *
 * @param <T> the class that declares the job method
 */
@FunctionalInterface
public interface JobCall<T> {
    void call(T job) throws Exception;
}
