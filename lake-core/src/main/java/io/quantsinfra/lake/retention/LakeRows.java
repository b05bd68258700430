package io.quantsinfra.lake.retention;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.ParquetParts;
import io.quantsinfra.lake.parquet.FooterCheck;
import io.quantsinfra.lake.parquet.ParquetFooter;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.state.RowCache;
import io.quantsinfra.lake.store.LakeStore;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counts a profile's files, bytes and rows in one pass over the store's listing. Rows are those
 * the Parquet parts' footers state; a footer is read only for a part the {@link RowCache} does
 * not know at its present size and mtime, so a lake's rows cost one read per new part.
 */
public final class LakeRows {
    /** A footer that could not be read this time. */
    private static final long UNREADABLE = -2;

    private LakeRows() {
    }

    /**
     * What one pass found.
     *
     * @param files       published files
     * @param bytes       their sizes added up
     * @param rows        the rows of the Parquet parts whose footer was read
     * @param rowsByDate  those rows by the date of the top-level directory they are in; parts
     *                    outside dated directories count in {@code rows} only
     * @param partsUnread Parquet parts whose footer could not be read or is not complete (a file
     *                    put there by hand, or damaged): their rows are not counted
     */
    public record Tally(long files, long bytes, long rows, SortedMap<LocalDate, Long> rowsByDate, long partsUnread) {
        /** Copies the map so the record stays immutable. */
        public Tally {
            rowsByDate = Collections.unmodifiableSortedMap(new TreeMap<>(rowsByDate));
        }
    }

    /**
     * Counts the whole profile in {@code store}, reading the footers {@code cache} lacks and
     * recording them there; entries of files no longer in the lake are dropped. The cache is not
     * saved.
     *
     * @throws IOException when the lake cannot be listed
     */
    public static Tally count(ParquetParts parts, LakeStore store, RowCache cache) throws IOException {
        long[] sums = new long[4];
        SortedMap<LocalDate, Long> byDate = new TreeMap<>();
        // a directory's files come one after the other: its date is parsed once, not per file
        String[] top = {null};
        LocalDate[] date = {null};
        store.eachFile("", f -> {
            sums[0]++;
            sums[1] += f.size();
            if (!parts.covers(f.path())) {
                return;
            }
            OptionalLong known = cache.rows(f);
            long rows = known.isPresent() ? known.getAsLong() : readRows(store, f);
            if (known.isEmpty() && rows != UNREADABLE) {
                cache.put(f.path(), f.size(), f.mtime().orElse(-1), rows);
            }
            if (rows < 0) {
                sums[3]++;
                return;
            }
            sums[2] += rows;
            int slash = f.path().indexOf('/');
            if (slash > 0) {
                if (top[0] == null || !f.path().regionMatches(0, top[0], 0, slash) || top[0].length() != slash) {
                    top[0] = f.path().substring(0, slash);
                    date[0] = Retention.dateOf(top[0]).orElse(null);
                }
                if (date[0] != null) {
                    byDate.merge(date[0], rows, Long::sum);
                }
            }
        });
        cache.forgetUnseen();
        return new Tally(sums[0], sums[1], sums[2], byDate, sums[3]);
    }

    /**
     * The rows the footer of {@code f} states; {@link RowCache#NO_FOOTER} for a file that is no
     * complete Parquet (remembered like a count: it holds while the file does not change), or
     * {@link #UNREADABLE} when it cannot be read now (not remembered: tried again next time).
     */
    private static long readRows(LakeStore store, LakeStore.StoredFile f) {
        try {
            FooterCheck check = ParquetFooter.check(f.size(), (position, length) -> store.read(f.path(), position, length));
            return check instanceof FooterCheck.Complete c ? c.numRows() : RowCache.NO_FOOTER;
        } catch (IOException | LakeException e) {
            return UNREADABLE; // changed or gone since it was listed, or unreadable
        }
    }
}
