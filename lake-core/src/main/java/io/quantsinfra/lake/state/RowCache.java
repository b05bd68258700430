package io.quantsinfra.lake.state;

import io.quantsinfra.lake.durability.AtomicFile;
import io.quantsinfra.lake.store.LakeStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The row counts of a profile's Parquet parts as their footers state them, kept in a file beside
 * the checkpoint ({@code <profile>.rows}) so that {@code stats} and the metrics read each
 * footer once. An entry holds while the file keeps its size and mtime. A cache, not a record:
 * a missing or damaged file only costs reading the footers again, and two processes saving at
 * once only lose each other's new entries. Not safe for concurrent use.
 *
 * <p>The file is binary, for a lake of millions of parts loads in one pass: {@code "ROW1"}, the
 * number of entries, then each entry's path (modified UTF-8) and size, mtime and rows (big-endian
 * longs), with mtime -1 for a file whose store lists none, and rows {@link #NO_FOOTER} for a file
 * that is no complete Parquet.
 */
public final class RowCache {
    /** The first 4 bytes of the file, and its version: "ROW1". */
    private static final int MAGIC = 0x524f5731;
    private static final String SUFFIX = ".json";
    /** The rows recorded for a file that is no complete Parquet, so that its footer is not read again. */
    public static final long NO_FOOTER = -1;

    private final Path file;
    /** By path: size, mtime, rows, and 1 once this instance was asked for it or told it. */
    private final Map<String, long[]> entries;
    private boolean changed;

    private RowCache(Path file, Map<String, long[]> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The cache file of the profile whose checkpoint is {@code checkpointFile}: {@code x.json} gives {@code x.rows}. */
    public static Path fileFor(Path checkpointFile) {
        String name = checkpointFile.getFileName().toString();
        String stem = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        return checkpointFile.resolveSibling(stem + ".rows");
    }

    /** A cache to be stored in {@code file} that knows nothing yet, whatever the file holds. */
    public static RowCache empty(Path file) {
        return new RowCache(file, new HashMap<>());
    }

    /** The cache stored in {@code file}; empty when there is none or it cannot be read. */
    public static RowCache load(Path file) {
        Map<String, long[]> entries = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                return empty(file); // another version's, or not ours: the footers are read again
            }
            for (int n = in.readInt(); n > 0; n--) {
                String path = in.readUTF();
                long[] entry = {in.readLong(), in.readLong(), in.readLong(), 0};
                if (entry[0] >= 0 && entry[2] >= NO_FOOTER) {
                    entries.put(path, entry);
                }
            }
        } catch (NoSuchFileException e) {
            return empty(file);
        } catch (IOException e) {
            return empty(file); // damaged: the footers are read again
        }
        return new RowCache(file, entries);
    }

    /**
     * The rows recorded for {@code f} (perhaps {@link #NO_FOOTER}), if they were recorded at its
     * present size and mtime.
     */
    public OptionalLong rows(LakeStore.StoredFile f) {
        long[] e = entries.get(f.path());
        if (e == null || e[0] != f.size() || f.mtime().isPresent() && e[1] != f.mtime().getAsLong()) {
            return OptionalLong.empty();
        }
        e[3] = 1;
        return OptionalLong.of(e[2]);
    }

    /**
     * Records the rows of {@code path} at {@code size} and {@code mtime} (-1: none listed); rows
     * may be {@link #NO_FOOTER}.
     */
    public void put(String path, long size, long mtime, long rows) {
        long[] e = {size, mtime, rows, 1};
        long[] was = entries.put(path, e);
        changed |= was == null || was[0] != size || was[1] != mtime || was[2] != rows;
    }

    /**
     * Forgets the files this cache was neither asked for (with a match) nor told about since it
     * was loaded: after a pass over the whole lake, those deleted or expired since.
     */
    public void forgetUnseen() {
        changed |= entries.values().removeIf(e -> e[3] == 0);
    }

    /**
     * Stores the cache if it changed since it was loaded.
     *
     * @throws IOException if the file cannot be written
     */
    public void save() throws IOException {
        if (!changed) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(entries.size());
            for (Map.Entry<String, long[]> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                for (int i = 0; i < 3; i++) {
                    out.writeLong(e.getValue()[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize row counts", e); // a byte array cannot fail
        }
        AtomicFile.replace(file, bytes.toByteArray());
        changed = false;
    }
}
