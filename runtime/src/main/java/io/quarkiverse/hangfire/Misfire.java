package io.quarkiverse.hangfire;

/** What a recurring job does about the occurrences it missed while no server was running, as in Hangfire. */
public enum Misfire {
    /** One run for all the missed occurrences, as soon as a server is back. The default. */
    RELAXED,
    /** One run per missed occurrence, each carrying its own occurrence time. */
    STRICT,
    /** No run for missed occurrences: the job waits for its next occurrence. */
    IGNORABLE
}
