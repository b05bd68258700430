package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.SyncPlan;
import java.io.IOException;

/**
 * A Parquet part that is not complete yet: it is not published, its bytes stay for a resume as a
 * partial file's would, and the next run tries again. Not a failure.
 */
final class HeldBackException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SyncPlan.Transfer transfer;
    private final long bytesTransferred;

    HeldBackException(SyncPlan.Transfer transfer, String reason, long bytesTransferred) {
        super(reason);
        this.transfer = transfer;
        this.bytesTransferred = bytesTransferred;
    }

    /** The file as planned. */
    SyncPlan.Transfer transfer() {
        return transfer;
    }

    /** Why, e.g. {@code "incomplete Parquet: no footer yet"}. */
    String reason() {
        return getMessage();
    }

    /** Bytes received for it, kept for the next run where they can be resumed. */
    long bytesTransferred() {
        return bytesTransferred;
    }
}
