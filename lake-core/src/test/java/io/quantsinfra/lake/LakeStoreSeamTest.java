package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.PathFilter;
import io.quantsinfra.lake.plan.LocalEntry;
import io.quantsinfra.lake.plan.LocalListing;
import io.quantsinfra.lake.plan.Retention;
import io.quantsinfra.lake.store.LakeStore;
import io.quantsinfra.lake.store.StagedFile;
import io.quantsinfra.lake.testkit.SampleLake;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole sync into a lake that is not a local directory: the run writes only through
 * {@link LakeStore}, so an in-memory store receives every file, and nothing lands on the disk.
 */
class LakeStoreSeamTest {
    @TempDir
    Path tmp;

    @Test
    void aSync_writesOnlyThroughTheStore_andTheNextRunFindsItInSync() throws IOException {
        Path remote = tmp.resolve("remote");
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(1_000, 1_500_000)
                .seed(5).writeTo(remote);
        MemoryStore store = new MemoryStore();
        DataLake lake = new DataLake(config(remote), DirectoryRemoteFs.CONNECTOR, profile -> store);

        SyncReport first = lake.sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
        Map<String, byte[]> expected = filesUnder(remote);
        assertEquals(expected.keySet(), store.files.keySet());
        expected.forEach((path, bytes) -> assertArrayEquals(bytes, store.files.get(path).bytes(), path));
        assertEquals(Map.of(), store.staged, "nothing left staged");
        assertFalse(Files.exists(tmp.resolve("local/mirror")), "nothing written to the local profile directory");

        SyncReport second = lake.sync("p", LakeFixture.options(), SyncListener.NONE);
        assertEquals(0, second.filesTransferred(), "the store's listing says it is in sync");
    }

    @Test
    void aFileGoneFromTheRemote_isDeletedFromTheStore() throws IOException {
        Path remote = tmp.resolve("remote");
        SampleLake.builder().days(1).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(1_000, 2_000)
                .seed(6).writeTo(remote);
        MemoryStore store = new MemoryStore();
        DataLake lake = new DataLake(config(remote), DirectoryRemoteFs.CONNECTOR, profile -> store);
        lake.sync("p", LakeFixture.options(), SyncListener.NONE);
        String gone = filesUnder(remote).keySet().iterator().next();
        Files.delete(remote.resolve(gone));

        SyncReport r = lake.sync("p", LakeFixture.options(), SyncListener.NONE);

        assertEquals(1, r.filesDeleted());
        assertEquals(filesUnder(remote).keySet(), store.files.keySet());
    }

    private DataLakeConfig config(Path remote) {
        return DataLakeConfig.builder(tmp.resolve("local"))
                .profile("p", p -> p.host("localhost").user("nobody").remoteRoot(remote.toString())
                        .localSubdir("mirror").rsyncArgs("-a --partial --delete").retentionDays(0))
                .build();
    }

    private static Map<String, byte[]> filesUnder(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** A published file: its bytes and mtime. */
    private record Stored(byte[] bytes, long mtime) {
    }

    /** A lake in memory: directories, published files and staged bytes by relative path. */
    private static final class MemoryStore implements LakeStore {
        final Map<String, Stored> files = new ConcurrentSkipListMap<>();
        final Map<String, Long> directories = new ConcurrentSkipListMap<>();
        final Map<String, byte[]> staged = new ConcurrentHashMap<>();

        @Override
        public String location() {
            return "memory:";
        }

        @Override
        public void requireSafeRoot() {
        }

        @Override
        public LocalListing list(PathFilter filter, Retention retention) {
            TreeMap<String, LocalEntry> entries = new TreeMap<>();
            directories.forEach((d, mtime) -> entries.put(d, new LocalEntry(d, EntryType.DIRECTORY, 0, mtime, Optional.empty())));
            files.forEach((f, s) -> entries.put(f, new LocalEntry(f, EntryType.FILE, s.bytes().length, s.mtime(), Optional.empty())));
            Map<String, Long> partials = new HashMap<>();
            staged.forEach((f, b) -> partials.put(f, (long) b.length));
            return new LocalListing(entries, partials);
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
            throw new UnsupportedOperationException("the sample lake has no links");
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

        @Override
        public StagedFile stage(String relative, long resumeFrom) {
            return new MemoryStaged(relative);
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
        public Optional<LakeException> stopping(IOException e, String doing) {
            return Optional.empty();
        }

        /** One file's bytes, growing as they are written; visible in {@link #files} once published. */
        private final class MemoryStaged implements StagedFile {
            private final String path;
            private byte[] bytes = new byte[0];
            private long mtime;

            MemoryStaged(String path) {
                this.path = path;
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
            public synchronized int read(ByteBuffer into, long position) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = Math.min(into.remaining(), bytes.length - (int) position);
                into.put(bytes, (int) position, n);
                return n;
            }

            @Override
            public synchronized void truncate(long size) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(size, bytes.length));
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
            public void abandon() {
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
}
