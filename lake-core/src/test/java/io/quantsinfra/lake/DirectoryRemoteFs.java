package io.quantsinfra.lake;

import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@link RemoteFs} over a directory of this machine, with no server and no network: remote
 * paths are local absolute paths, as with OpenSSH. It holds the same contract as SFTP
 * ({@link DirectoryRemoteFsTest}), so the engine can be tested through the seam alone. It lives
 * in lake-core's tests rather than lake-testkit, which lake-core's tests depend on and which
 * therefore cannot depend on lake-core's {@link RemoteFs}.
 */
public final class DirectoryRemoteFs implements RemoteFs {
    /** A connector that opens one for any profile: its {@code remote_root} is a local directory. */
    public static final RemoteConnector CONNECTOR = (profile, env) -> new DirectoryRemoteFs();

    @Override
    public Duration roundTrip() {
        return Duration.ZERO;
    }

    @Override
    public List<Item> list(String dir) throws IOException {
        List<Item> items = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of(dir))) {
            for (Path p : entries.sorted().toList()) {
                items.add(item(p, LinkOption.NOFOLLOW_LINKS));
            }
        }
        return items;
    }

    @Override
    public List<Listing> listAll(List<String> dirs) {
        List<Listing> out = new ArrayList<>();
        for (String dir : dirs) {
            try {
                out.add(new Listing(list(dir), null));
            } catch (IOException e) {
                out.add(new Listing(null, e));
            }
        }
        return out;
    }

    @Override
    public Item stat(String path) throws IOException {
        return item(Path.of(path));
    }

    @Override
    public String readLink(String path) throws IOException {
        return Files.readSymbolicLink(Path.of(path)).toString();
    }

    @Override
    public Reader open(String path) throws IOException {
        Path file = Path.of(path);
        FileChannel ch = FileChannel.open(file);
        return new Reader() {
            @Override
            public Transferred transfer(long offset, long length, Pacer pacer, Sink sink) throws IOException {
                // one byte past the expected end is read too, as the SFTP client asks for it: a longer file shows
                long delivered = 0;
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (delivered <= length) {
                    buf.clear().limit((int) Math.min(buf.capacity(), length + 1 - delivered));
                    pacer.pace(buf.remaining(), true);
                    int n = ch.read(buf, offset + delivered);
                    if (n < 0) {
                        break;
                    }
                    buf.flip();
                    int wanted = (int) Math.max(0, Math.min(n, length - delivered));
                    if (wanted > 0) {
                        sink.accept(buf.limit(wanted));
                    }
                    delivered += n;
                }
                return new Transferred(delivered, item(file));
            }

            @Override
            public int read(long offset, byte[] b, int off, int len) throws IOException {
                return ch.read(ByteBuffer.wrap(b, off, len), offset);
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    @Override
    public List<Whole> readWhole(List<WholeRead> reads) {
        List<Whole> out = new ArrayList<>();
        for (WholeRead r : reads) {
            try (FileChannel ch = FileChannel.open(Path.of(r.path()))) {
                ByteBuffer data = ByteBuffer.allocate(r.length());
                while (data.hasRemaining() && ch.read(data) >= 0) {
                    // until the file ends or the length asked for is read
                }
                out.add(new Whole(List.of(data.flip()), item(Path.of(r.path())), null, () -> { }));
            } catch (IOException e) {
                out.add(Whole.failed(e));
            }
        }
        return out;
    }

    @Override
    public void close() {
    }

    private static Item item(Path p, LinkOption... options) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, options);
        EntryType type = a.isSymbolicLink() ? EntryType.SYMLINK : a.isDirectory() ? EntryType.DIRECTORY
                : a.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
        int mode = 0;
        for (PosixFilePermission perm : a.permissions()) {
            mode |= 1 << (8 - perm.ordinal()); // OWNER_READ is ordinal 0 and bit 8
        }
        return new Item(p.getFileName().toString(), type, a.size(), a.lastModifiedTime().toInstant().getEpochSecond(), mode);
    }
}
