package io.quantsinfra.lake;

import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.plan.LocalEntry;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.StagedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * A {@link LakeStore} in memory, for tests of the run without a disk: directories, published
 * files and staged bytes by relative path. Staged bytes stay across runs, as a partial file
 * would, so resumes can be tested; links are not supported.
 */
public final class MemoryStore implements LakeStore {
    /** A published file: its bytes and mtime. */
    public record Stored(byte[] bytes, long mtime) {
    }

    private final Map<String, Stored> files = new ConcurrentSkipListMap<>();
    private final Map<String, Long> directories = new ConcurrentSkipListMap<>();
    private final Map<String, byte[]> staged = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

    /** How often {@link #read} was called. */
    public int reads() {
        return reads.get();
    }

    /** The published files by relative path. */
    public Map<String, Stored> files() {
        return files;
    }

    /** The staged bytes by relative path; a test may plant a partial file here. */
    public Map<String, byte[]> staged() {
        return staged;
    }

    @Override
    public String location() {
        return "memory:";
    }

    @Override
    public void requireSafeRoot() {
    }

    @Override
    public LocalListing listDirectory(String relative, PathFilter filter, Retention retention) {
        TreeMap<String, LocalEntry> entries = new TreeMap<>();
        directories.forEach((d, mtime) -> {
            if (isIn(relative, d)) {
                entries.put(d, new LocalEntry(d, EntryType.DIRECTORY, 0, mtime, Optional.empty()));
            }
        });
        files.forEach((f, s) -> {
            if (isIn(relative, f)) {
                entries.put(f, new LocalEntry(f, EntryType.FILE, s.bytes().length, s.mtime(), Optional.empty()));
            }
        });
        Map<String, Long> partials = new HashMap<>();
        staged.forEach((f, b) -> {
            if (isIn(relative, f)) {
                partials.put(f, (long) b.length);
            }
        });
        return new LocalListing(List.copyOf(entries.values()), partials);
    }

    /** Whether {@code path} is directly in the directory {@code dir}. */
    private static boolean isIn(String dir, String path) {
        int slash = path.lastIndexOf('/');
        return dir.equals(slash < 0 ? "" : path.substring(0, slash));
    }

    @Override
    public long usableBytes(DiskSpace space) {
        return Long.MAX_VALUE;
    }

    @Override
    public void createDirectory(String relative) {
        directories.putIfAbsent(relative, 0L);
    }

    @Override
    public void createLink(String relative, String target) {
        throw new UnsupportedOperationException("links are not supported in memory");
    }

    @Override
    public boolean delete(String relative) throws IOException {
        if (directories.containsKey(relative)) {
            if (files.keySet().stream().anyMatch(f -> f.startsWith(relative + "/"))) {
                throw new DirectoryNotEmptyException(relative);
            }
            directories.remove(relative);
        }
        files.remove(relative);
        return true;
    }

    @Override
    public void setDirectoryTime(String relative, long mtime) {
        directories.computeIfPresent(relative, (d, old) -> mtime);
    }

    /** Keeps staged bytes up to {@code resumeFrom}, or none if fewer are there, as a local store does. */
    @Override
    public StagedFile stage(String relative, Source source, long resumeFrom) {
        byte[] held = staged.getOrDefault(relative, new byte[0]);
        return new Staged(relative, resumeFrom == 0 || held.length < resumeFrom ? new byte[0]
                : Arrays.copyOf(held, (int) resumeFrom));
    }

    @Override
    public boolean isStaged(String relative) {
        return staged.containsKey(relative);
    }

    @Override
    public void discardStaged(String relative) {
        staged.remove(relative);
    }

    @Override
    public String stagedLocation(String relative) {
        return "memory:" + relative + " (staged)";
    }

    @Override
    public boolean holdsLinks() {
        return false;
    }

    @Override
    public boolean exists() {
        return true;
    }

    @Override
    public List<String> topDirectories() {
        return directories.keySet().stream().filter(d -> !d.contains("/")).toList();
    }

    @Override
    public void eachFile(String relative, Consumer<StoredFile> visitor) {
        files.forEach((path, f) -> {
            if (relative.isEmpty() || path.startsWith(relative + "/")) {
                visitor.accept(new StoredFile(path, f.bytes().length, OptionalLong.of(f.mtime())));
            }
        });
    }

    @Override
    public ByteBuffer read(String relative, long position, int length) throws IOException {
        reads.incrementAndGet();
        Stored f = files.get(relative);
        if (f == null || position + length > f.bytes().length) {
            throw new java.io.EOFException(relative + " ends before byte " + (position + length));
        }
        return ByteBuffer.wrap(Arrays.copyOfRange(f.bytes(), (int) position, (int) position + length));
    }

    @Override
    public long deleteTree(String relative) {
        long[] freed = {0};
        eachFile(relative, f -> freed[0] += f.size());
        files.keySet().removeIf(f -> f.startsWith(relative + "/"));
        directories.keySet().removeIf(d -> d.equals(relative) || d.startsWith(relative + "/"));
        return freed[0];
    }

    @Override
    public Optional<LakeException> stopping(IOException e, String doing) {
        return Optional.empty();
    }

    /** One file's bytes, growing as they are written; in {@link #files} once published. */
    private final class Staged implements StagedFile {
        private final String path;
        private byte[] bytes;
        private long mtime;

        Staged(String path, byte[] bytes) {
            this.path = path;
            this.bytes = bytes;
            staged.put(path, bytes);
        }

        @Override
        public synchronized long size() {
            return bytes.length;
        }

        @Override
        public synchronized void write(ByteBuffer data, long position) {
            int n = data.remaining();
            if (position + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) position + n);
            }
            data.duplicate().get(bytes, (int) position, n);
            staged.put(path, bytes);
        }

        @Override
        public synchronized TailCheck tailCheck() {
            int window = Math.min(TAIL_WINDOW, bytes.length);
            byte[] tail = Arrays.copyOfRange(bytes, bytes.length - window, bytes.length);
            return new TailCheck(bytes.length - window, window, theirs -> Arrays.equals(tail, theirs));
        }

        @Override
        public synchronized void startOver() {
            bytes = new byte[0];
            staged.put(path, bytes);
        }

        @Override
        public void flushEarly() {
        }

        @Override
        public synchronized void seal(boolean durableNow, OptionalInt mode, OptionalLong mtime) {
            this.mtime = mtime.orElse(0);
        }

        @Override
        public synchronized void publish() {
            staged.remove(path);
            files.put(path, new Stored(bytes, mtime));
        }

        @Override
        public synchronized long abandon() {
            return bytes.length;
        }

        @Override
        public Optional<Path> stagingDirectory() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> targetDirectory() {
            return Optional.empty();
        }
    }
}
