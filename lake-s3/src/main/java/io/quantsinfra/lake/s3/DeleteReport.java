package io.quantsinfra.lake.s3;

import java.util.List;
import java.util.Objects;

/**
 * What a batch delete did: the keys deleted and the keys the store refused to delete.
 *
 * @param deleted  the keys that no longer exist, including keys that did not exist before
 * @param failures the keys that still exist, each with the store's reason
 */
public record DeleteReport(List<String> deleted, List<Failure> failures) {

    public DeleteReport {
        deleted = List.copyOf(deleted);
        failures = List.copyOf(failures);
    }

    /** {@return whether every key was deleted} */
    public boolean complete() {
        return failures.isEmpty();
    }

    /**
     * A key the store did not delete.
     *
     * @param key     the key
     * @param code    the store's error code, e.g. {@code AccessDenied}
     * @param message the store's message
     */
    public record Failure(String key, String code, String message) {

        public Failure {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
