package io.quantsinfra.lake.remote;

import java.io.IOException;

/** The link to the remote host broke or stalled; the work in flight may be resumed after a reconnect. */
public final class ConnectionLostException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A lost link, with what the transport said. */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
