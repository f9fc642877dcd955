package io.quarkiverse.hangfire.runtime.storage;

import java.sql.SQLException;

/** A database error in the job storage, unchecked so that it can cross transaction boundaries. */
public class StorageException extends RuntimeException {
    public StorageException(SQLException cause) {
        super("Job storage failed: " + cause.getMessage(), cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
