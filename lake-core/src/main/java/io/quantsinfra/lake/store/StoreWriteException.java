package io.quantsinfra.lake.store;

import java.io.IOException;

/**
 * A write to the lake failed: disk full, permission, I/O error. Its own type, so that a run
 * tells the lake's failures from the remote's.
 */
public final class StoreWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Wraps the failure {@code cause}, keeping its message. */
    public StoreWriteException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
