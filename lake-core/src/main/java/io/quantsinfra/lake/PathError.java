package io.quantsinfra.lake;

import java.util.Objects;

/**
 * A failure tied to one path: recorded, reported, and written to the checkpoint.
 *
 * @param path    the path relative to the profile directory (or the remote root); empty when
 *                the failure concerns the whole run
 * @param message what went wrong, naming the host where it happened remotely
 */
public record PathError(String path, String message) {
    /** Checks that both fields are present. */
    public PathError {
        Objects.requireNonNull(path, "path is missing");
        Objects.requireNonNull(message, "message is missing");
    }
}
