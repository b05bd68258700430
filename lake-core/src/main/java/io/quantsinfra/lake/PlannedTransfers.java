package io.quantsinfra.lake;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;

/**
 * A plan's transfers in path order, held in columns rather than as one record per file: a full
 * sync of a million files plans a million transfers, and as records with their paths they would
 * take over 100 MiB. Each run of files of one directory keeps the directory's path once and the
 * names packed in one array; {@link #get} builds the {@link SyncPlan.Transfer} when asked. The
 * list is immutable.
 */
public final class PlannedTransfers extends AbstractList<SyncPlan.Transfer> implements RandomAccess {
    private static final PlannedTransfers EMPTY = new PlannedTransfers(List.of());

    private final Run[] runs;
    /** The index of each run's first transfer. */
    private final int[] starts;
    private final int size;

    private PlannedTransfers(List<Run> sorted) {
        this.runs = sorted.toArray(Run[]::new);
        this.starts = new int[runs.length];
        int n = 0;
        for (int i = 0; i < runs.length; i++) {
            starts[i] = n;
            n += runs[i].size();
        }
        this.size = n;
    }

    /** No transfers. */
    public static PlannedTransfers empty() {
        return EMPTY;
    }

    @Override
    public SyncPlan.Transfer get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of " + size + " transfers");
        }
        int found = Arrays.binarySearch(starts, index);
        // starts may repeat only for empty runs, which are never added
        int run = found >= 0 ? found : -found - 2;
        return runs[run].get(index - starts[run]);
    }

    @Override
    public int size() {
        return size;
    }

    /** Gathers runs of transfers, in any order; the list puts them in path order. */
    public static final class Builder {
        private final List<Run> runs = new ArrayList<>();

        /**
         * Adds transfers of one directory, in path order, with no path of the rest of the tree
         * between the first and the last: in a directory with subdirectories, the files on each
         * side of a subdirectory's tree make separate runs.
         */
        public void addRun(List<SyncPlan.Transfer> run) {
            if (!run.isEmpty()) {
                runs.add(new Run(run));
            }
        }

        /** The transfers added so far. */
        public PlannedTransfers build() {
            List<Run> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparing(Run::firstPath));
            return new PlannedTransfers(sorted);
        }
    }

    /** Transfers of one directory, in columns; names are UTF-8 in one array. */
    private static final class Run {
        private final String prefix;
        private final String firstPath;
        private final byte[] names;
        /** Where each name ends in {@link #names}. */
        private final int[] nameEnds;
        private final long[] sizes;
        private final long[] mtimes;
        private final int[] permissions;
        private final long[] resumeFrom;
        private final String[] reasons;

        Run(List<SyncPlan.Transfer> run) {
            String first = run.get(0).path();
            this.firstPath = first;
            this.prefix = first.substring(0, first.lastIndexOf('/') + 1);
            int n = run.size();
            nameEnds = new int[n];
            sizes = new long[n];
            mtimes = new long[n];
            permissions = new int[n];
            resumeFrom = new long[n];
            reasons = new String[n];
            List<byte[]> encoded = new ArrayList<>(n);
            int length = 0;
            for (int i = 0; i < n; i++) {
                SyncPlan.Transfer t = run.get(i);
                if (!t.path().startsWith(prefix) || t.path().indexOf('/', prefix.length()) >= 0) {
                    throw new IllegalArgumentException(t.path() + " is not in the directory of " + first);
                }
                byte[] name = t.path().substring(prefix.length()).getBytes(StandardCharsets.UTF_8);
                encoded.add(name);
                length += name.length;
                nameEnds[i] = length;
                sizes[i] = t.size();
                mtimes[i] = t.mtime();
                permissions[i] = t.permissions();
                resumeFrom[i] = t.resumeFrom();
                reasons[i] = t.reason();
            }
            names = new byte[length];
            int at = 0;
            for (byte[] name : encoded) {
                System.arraycopy(name, 0, names, at, name.length);
                at += name.length;
            }
        }

        int size() {
            return nameEnds.length;
        }

        String firstPath() {
            return firstPath;
        }

        SyncPlan.Transfer get(int i) {
            int from = i == 0 ? 0 : nameEnds[i - 1];
            String path = prefix + new String(names, from, nameEnds[i] - from, StandardCharsets.UTF_8);
            return new SyncPlan.Transfer(path, sizes[i], mtimes[i], permissions[i], resumeFrom[i], reasons[i]);
        }
    }
}
