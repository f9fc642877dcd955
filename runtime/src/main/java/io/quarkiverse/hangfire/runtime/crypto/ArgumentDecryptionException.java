package io.quarkiverse.hangfire.runtime.crypto;

/**
 * A stored sensitive argument could not be decrypted. Its message names the job and the argument, never the value.
 * A value whose key is not configured is retried like any failure (configuring the key lets a retry succeed); a
 * value that fails authentication is not, since no retry can change it.
 */
public final class ArgumentDecryptionException extends RuntimeException {

    private final boolean retryable;

    ArgumentDecryptionException(String message, boolean retryable) {
        // no cause: a decoder's message could quote what it was given, and the stack trace is stored with the job
        super(message);
        this.retryable = retryable;
    }

    /** Whether retrying the job can succeed (a missing key can be configured; tampered ciphertext stays tampered). */
    public boolean retryable() {
        return retryable;
    }
}
