package io.quarkiverse.hangfire.runtime.state;

/**
 * Told about the state changes of every committed transaction, so that whoever reacts to them (the local server's
 * wake-ups and cancellations today) is called by the state machine without the state machine knowing it. Listeners
 * are CDI beans of this type.
 */
public interface StateListener {

    /**
     * Called once the transaction that applied {@code changes} committed, on the committing thread, and never for
     * one that rolled back. It must be quick; an exception it throws is logged and does not reach the caller, whose
     * commit stands.
     */
    void committed(StateChanges changes);
}
