package io.quantsinfra.lake.transfer;

import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.config.ParquetParts;
import io.quantsinfra.lake.parquet.FooterCheck;
import io.quantsinfra.lake.parquet.ParquetFooter;
import io.quantsinfra.lake.parquet.PartEnds;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Lets a copied Parquet part through to be published only when it is structurally complete, from
 * the head and tail its copy kept as the bytes went past. A part still being written is held back.
 */
final class ParquetGate {
    private ParquetGate() {
    }

    /**
     * Before a resumed part's copy goes on, reads what of its head the copy will not see (a
     * reader's last call is its transfer, so this cannot wait until the end).
     *
     * @param from  the offset the copy continues at
     * @param extra hears the bytes read
     */
    static void readBefore(RemoteFs.Reader r, String abs, PartEnds ends, long from, LongConsumer extra) throws IOException {
        long[] gap = ends.missing();
        if (gap != null && gap[0] + gap[1] <= from) {
            fill(r, abs, ends, gap, extra);
        }
    }

    /**
     * Checks a streamed part from the ends its copy kept, opening the file again only when they
     * do not suffice: a footer longer than the tail kept.
     *
     * @param extra hears the bytes read for the check
     * @return complete, or incomplete (never a request for more tail)
     */
    static FooterCheck streamed(RemoteFs fs, String abs, SyncPlan.Transfer t, PartEnds kept, LongConsumer extra)
            throws IOException {
        FooterCheck check = kept.missing() == null ? kept.check() : null;
        if (check != null && !(check instanceof FooterCheck.NeedMoreTail)) {
            return check;
        }
        try (RemoteFs.Reader r = fs.open(abs)) {
            PartEnds ends = kept;
            while (check == null || check instanceof FooterCheck.NeedMoreTail) {
                if (check instanceof FooterCheck.NeedMoreTail more) {
                    ends = new PartEnds(t.size(), more.tailLength());
                }
                for (long[] gap = ends.missing(); gap != null; gap = ends.missing()) {
                    fill(r, abs, ends, gap, extra);
                }
                check = ends.check();
            }
            return check;
        }
    }

    /** Reads the range {@code gap} ({position, length}) into {@code ends}. */
    private static void fill(RemoteFs.Reader r, String abs, PartEnds ends, long[] gap, LongConsumer extra) throws IOException {
        byte[] bytes = new byte[(int) gap[1]];
        if (!readFully(r, gap[0], bytes)) {
            throw new ChangedException(abs + " shrank while its Parquet footer was read;"
                    + " not published, retried next run", true);
        }
        extra.accept(bytes.length);
        ends.accept(gap[0], ByteBuffer.wrap(bytes));
    }

    /**
     * Checks a part read whole, from its bytes in memory.
     *
     * @return complete, or incomplete (never a request for more tail)
     */
    static FooterCheck whole(SyncPlan.Transfer t, List<ByteBuffer> data) {
        FooterCheck check = ends(t.size(), ParquetFooter.FIRST_TAIL_LENGTH, data).check();
        if (check instanceof FooterCheck.NeedMoreTail more) {
            check = ends(t.size(), more.tailLength(), data).check();
        }
        return check;
    }

    /** A look at the remote file that may find it changed. */
    interface RemoteCheck {
        void run() throws IOException;
    }

    /**
     * Runs {@code check}; a Parquet part it finds changed is one its writer is still at, so it is
     * held back instead of failed. Any other file that changed fails as before.
     *
     * @param bytes the bytes received for the file so far, for a held-back report
     */
    static void heldIfChanging(ParquetParts parts, SyncPlan.Transfer t, LongSupplier bytes, RemoteCheck check)
            throws IOException {
        try {
            check.run();
        } catch (ChangedException e) {
            if (e.moved() && parts.covers(t.path())) {
                throw new HeldBackException(t, "incomplete Parquet: still being written (it changed while it was copied)",
                        bytes.getAsLong());
            }
            throw e;
        }
    }

    /** Reads {@code into.length} bytes at {@code from}; false when the file ends first. */
    static boolean readFully(RemoteFs.Reader r, long from, byte[] into) throws IOException {
        int got = 0;
        while (got < into.length) {
            int n = r.read(from + got, into, got, into.length - got);
            if (n < 0) {
                return false;
            }
            got += n;
        }
        return true;
    }

    private static PartEnds ends(long size, int tailLength, List<ByteBuffer> data) {
        PartEnds ends = new PartEnds(size, tailLength);
        long at = 0;
        for (ByteBuffer piece : data) {
            int n = (int) Math.min(piece.remaining(), size - at);
            ends.accept(at, piece.duplicate().limit(piece.position() + n));
            at += n;
        }
        return ends;
    }

    /**
     * The row count of a part {@link #streamed} or {@link #whole} found complete. A file that is
     * no Parquet at all (no {@code PAR1} header, or an encrypted footer this check cannot read) is
     * no part a writer will finish: it is published as it is, as any other file.
     *
     * @param bytes the bytes received for the part, for a held-back report
     * @return the row count; empty for a file that is no Parquet at all
     * @throws HeldBackException when the part is not complete yet
     */
    static OptionalLong rows(SyncPlan.Transfer t, FooterCheck check, long bytes) throws HeldBackException {
        if (check instanceof FooterCheck.Complete c) {
            return OptionalLong.of(c.numRows());
        }
        FooterCheck.Incomplete incomplete = (FooterCheck.Incomplete) check;
        if (incomplete.problem() == FooterCheck.Problem.NOT_PARQUET) {
            return OptionalLong.empty();
        }
        throw new HeldBackException(t, "incomplete Parquet: " + incomplete.reason(), bytes);
    }
}
