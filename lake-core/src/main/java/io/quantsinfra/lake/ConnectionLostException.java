package io.quantsinfra.lake;

import java.io.IOException;

/** The link to the remote host broke or stalled; the work in flight may be resumed after a reconnect. */
final class ConnectionLostException extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
