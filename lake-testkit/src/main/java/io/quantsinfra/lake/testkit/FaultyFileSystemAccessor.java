package io.quantsinfra.lake.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * The server's file system accessor: the default behaviour plus {@link InjectedEntries injected entries} in
 * listings, denied paths that fail OPEN with {@code SSH_FX_PERMISSION_DENIED}, directories whose listing
 * fails, files whose reads fail part-way (both answered with {@code SSH_FX_FAILURE}) or stall, and
 * files whose reported size is not what they hold.
 */
final class FaultyFileSystemAccessor implements SftpFileSystemAccessor {

    private final InjectedEntries injected;
    private final List<String> deniedSuffixes = new CopyOnWriteArrayList<>();
    private final List<String> unlistableSuffixes = new CopyOnWriteArrayList<>();
    private final Map<String, Long> failingReads = new ConcurrentHashMap<>();
    private final Map<String, Duration> stalledReads = new ConcurrentHashMap<>();
    private final Map<String, Long> misreportedSizes = new ConcurrentHashMap<>();

    FaultyFileSystemAccessor(InjectedEntries injected) {
        this.injected = injected;
    }

    /** Makes every later OPEN of a file whose path ends with {@code pathSuffix} fail as permission denied. */
    void deny(String pathSuffix) {
        deniedSuffixes.add(pathSuffix);
    }

    /** Makes every later OPENDIR of a directory whose path ends with {@code dirSuffix} fail. */
    void failListing(String dirSuffix) {
        unlistableSuffixes.add(dirSuffix);
    }

    /**
     * Makes the next OPEN of a file whose path ends with {@code pathSuffix} return a file whose reads
     * fail once {@code afterBytes} bytes were read; one-shot.
     */
    void failRead(String pathSuffix, long afterBytes) {
        failingReads.put(pathSuffix, afterBytes);
    }

    /** Makes the first read of the next OPEN of a matching file wait {@code stall} first; one-shot. */
    void stallRead(String pathSuffix, Duration stall) {
        stalledReads.put(pathSuffix, stall);
    }

    /** Makes listings, STAT and FSTAT of matching files report {@code size} whatever they hold. */
    void misreportSize(String pathSuffix, long size) {
        misreportedSizes.put(pathSuffix, size);
    }

    @Override
    public NavigableMap<String, Object> resolveReportedFileAttributes(SftpSubsystemProxy subsystem, Path file, int flags,
            NavigableMap<String, Object> attrs, LinkOption... options) throws IOException {
        NavigableMap<String, Object> reported = SftpFileSystemAccessor.super.resolveReportedFileAttributes(subsystem,
                file, flags, attrs, options);
        String path = file.toString();
        for (Map.Entry<String, Long> e : misreportedSizes.entrySet()) {
            if (path.endsWith(e.getKey())) {
                NavigableMap<String, Object> lie = new TreeMap<>(reported.comparator());
                lie.putAll(reported);
                lie.put("size", e.getValue());
                return lie;
            }
        }
        return reported;
    }

    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath)
            throws IOException {
        Optional<Path> backing = injected.backingOf(remotePath);
        return backing.isPresent() ? backing.get()
                : SftpFileSystemAccessor.super.resolveLocalFilePath(subsystem, rootDir, remotePath);
    }

    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir,
            String handle, LinkOption... linkOptions) throws IOException {
        String path = dir.toString();
        if (unlistableSuffixes.stream().anyMatch(path::endsWith)) {
            throw new IOException("listing of " + path + " fails on the test server");
        }
        DirectoryStream<Path> real = SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle, dir, handle,
                linkOptions);
        List<Path> extra = injected.extraEntriesOf(dir);
        return extra.isEmpty() ? real : new AppendingDirectoryStream(real, extra);
    }

    @Override
    public void putRemoteFileName(SftpSubsystemProxy subsystem, Path path, Buffer buf, String name,
            boolean shortName) throws IOException {
        Optional<byte[]> injectedName = injected.nameOf(path);
        String placeholder = path.getFileName() == null ? "" : path.getFileName().toString();
        if (injectedName.isPresent() && name.endsWith(placeholder)) {
            // The short name is the placeholder itself; the long name (ls -l style) ends with it. The injected
            // name goes out as its bytes, which need not be text.
            byte[] prefix = name.substring(0, name.length() - placeholder.length()).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = Arrays.copyOf(prefix, prefix.length + injectedName.get().length);
            System.arraycopy(injectedName.get(), 0, bytes, prefix.length, injectedName.get().length);
            buf.putBytes(bytes);
            return;
        }
        SftpFileSystemAccessor.super.putRemoteFileName(subsystem, path, buf, name, shortName);
    }

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        String path = file.toString();
        if (deniedSuffixes.stream().anyMatch(path::endsWith)) {
            throw new AccessDeniedException(path, null, "denied by the test server");
        }
        injected.opening(file);
        SeekableByteChannel real = SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
        long failAfter = Long.MAX_VALUE;
        Duration stall = Duration.ZERO;
        for (Map.Entry<String, Long> e : failingReads.entrySet()) {
            if (path.endsWith(e.getKey()) && failingReads.remove(e.getKey(), e.getValue())) {
                failAfter = e.getValue();
            }
        }
        for (Map.Entry<String, Duration> e : stalledReads.entrySet()) {
            if (path.endsWith(e.getKey()) && stalledReads.remove(e.getKey(), e.getValue())) {
                stall = e.getValue();
            }
        }
        return failAfter == Long.MAX_VALUE && stall.isZero() ? real : new FaultyChannel(real, failAfter, stall);
    }

    /** A file channel whose first read waits, and whose reads fail once a number of bytes were read. */
    private static final class FaultyChannel implements SeekableByteChannel {
        private final SeekableByteChannel real;
        private final long failAfter;
        private Duration stall;
        private long served;

        FaultyChannel(SeekableByteChannel real, long failAfter, Duration stall) {
            this.real = real;
            this.failAfter = failAfter;
            this.stall = stall;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!stall.isZero()) {
                try {
                    Thread.sleep(stall.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("stall interrupted");
                }
                stall = Duration.ZERO;
            }
            if (served >= failAfter) {
                throw new IOException("read fails on the test server");
            }
            int n = real.read(dst);
            served += Math.max(0, n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return real.isOpen();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    /** A directory's real entries followed by extra paths. */
    private static final class AppendingDirectoryStream implements DirectoryStream<Path> {
        private final DirectoryStream<Path> real;
        private final List<Path> extra;

        AppendingDirectoryStream(DirectoryStream<Path> real, List<Path> extra) {
            this.real = real;
            this.extra = extra;
        }

        @Override
        public Iterator<Path> iterator() {
            return Stream.concat(StreamSupport.stream(real.spliterator(), false), extra.stream()).iterator();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }
}
