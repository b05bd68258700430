package io.quantsinfra.lake.sftp;

import java.io.IOException;

/**
 * A sink's own failure (local disk, cancellation) carried through {@link SftpErrorMapper}
 * untouched, so that it is not taken for the link's.
 */
final class SinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkFailure(IOException cause) {
        super(cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
