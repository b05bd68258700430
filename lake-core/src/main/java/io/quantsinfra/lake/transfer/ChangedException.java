package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;

/** The remote file is not the one listed any more: it changed while it was copied. */
final class ChangedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean moved;

    /** @param moved whether the file's size or mtime after the copy differ from the listing's: a writer is at it */
    ChangedException(String message, boolean moved) {
        super(message);
        this.moved = moved;
    }

    /** Whether the file was seen to change, rather than the server to report it wrongly. */
    boolean moved() {
        return moved;
    }

    /**
     * Checks that the remote file is still the one listed: the bytes asked for all came and no
     * more, and its size and mtime after the last read are those of the listing.
     *
     * @param abs       the file's remote path, for the message
     * @param remaining bytes asked for; {@code delivered} the server sent; {@code held} are now local
     * @param after     the file's status as the server saw it after the last read
     */
    static void requireUnchanged(String abs, SyncPlan.Transfer t, long remaining, long delivered, long held,
                                 RemoteFs.Item after) throws ChangedException {
        boolean moved = after.size() != t.size() || after.mtime() != t.mtime();
        if (delivered < remaining) {
            throw new ChangedException(abs + " shrank while it was copied (expected " + t.size() + " bytes, got "
                    + held + ")", moved);
        }
        if (delivered > remaining) {
            throw new ChangedException(abs + " holds more than the " + t.size() + " bytes it was listed with"
                    + " (it grew, or the server reports a wrong size); not published, retried next run", moved);
        }
        if (moved) {
            throw new ChangedException(abs + " changed while it was copied (size " + t.size() + " → "
                    + after.size() + ", mtime " + t.mtime() + " → " + after.mtime() + "); not published, retried next run",
                    true);
        }
    }
}
