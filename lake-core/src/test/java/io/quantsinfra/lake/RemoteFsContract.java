package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.remote.RemoteConnector;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.sftp.SftpConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link RemoteFs} (see its javadoc), run against every server it must hold for:
 * the embedded MINA server and a real OpenSSH sshd. A subclass starts the server and says how a
 * path of the served tree is named remotely.
 */
abstract class RemoteFsContract {
    private static final long MTIME = 1_700_000_000L;

    @TempDir
    protected Path tmp;

    /** Starts the server, its files under {@code dir}. */
    protected abstract void startServer(Path dir) throws IOException;

    /** Stops it. */
    protected abstract void stopServer() throws IOException;

    /** Where the served tree is on this machine; the test fills it before connecting. */
    protected abstract Path servedRoot();

    /** The remote name of {@code relative} (no leading slash) in the served tree. */
    protected abstract String remote(String relative);

    /** What opens the file system: SFTP unless a subclass says otherwise. */
    protected RemoteConnector connector() {
        return new SftpConnector();
    }

    /** A profile's settings that reach the server, with {@code remote_root} at the served tree. */
    protected abstract void connection(DataLakeConfig.ProfileBuilder p);

    private RemoteFs fs;
    private byte[] big;
    private byte[] small;

    @BeforeEach
    void fillAndConnect() throws IOException {
        startServer(tmp.resolve("server"));
        Path root = servedRoot();
        big = write(root.resolve("d/big.parquet"), 3 * 1024 * 1024 + 17, 1);
        small = write(root.resolve("d/small.parquet"), 40_000, 2);
        write(root.resolve("top.parquet"), 10, 3);
        Files.createDirectories(root.resolve("d/empty"));
        Files.createSymbolicLink(root.resolve("latest"), Path.of("d/small.parquet"));
        DataLakeConfig config = DataLakeConfig.builder(tmp.resolve("lake"))
                .profile("p", p -> {
                    connection(p);
                    p.localSubdir("p");
                })
                .build();
        fs = connector().connect(config.requireProfile("p"), Map.of());
    }

    @AfterEach
    void disconnect() throws IOException {
        try {
            if (fs != null) {
                fs.close();
            }
        } finally {
            stopServer();
        }
    }

    private static byte[] write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SampleLake.writeFile(file, size, seed);
        Files.setLastModifiedTime(file, FileTime.from(MTIME, TimeUnit.SECONDS));
        return Files.readAllBytes(file);
    }

    private static Map<String, String> byName(List<RemoteFs.Item> items) {
        Map<String, String> out = new TreeMap<>();
        items.forEach(i -> out.put(i.name(), i.type() + (i.type() == EntryType.FILE ? " " + i.size() + " " + i.mtime() : "")));
        return out;
    }

    @Test
    void list_givesNamesTypesSizesAndMtimes_linksAsLinks_withoutDotEntries() throws IOException {
        assertEquals(Map.of("d", "DIRECTORY", "latest", "SYMLINK", "top.parquet", "FILE 10 " + MTIME),
                byName(fs.list(remote(""))));
        assertEquals(Map.of("big.parquet", "FILE " + big.length + " " + MTIME, "empty", "DIRECTORY",
                "small.parquet", "FILE " + small.length + " " + MTIME), byName(fs.list(remote("d"))));
    }

    @Test
    void listAll_givesEachDirectoryItsListing_orItsOwnError() throws IOException {
        List<RemoteFs.Listing> all = fs.listAll(List.of(remote("d"), remote("missing"), remote("d/empty")));
        assertEquals(3, byName(all.get(0).items()).size());
        assertNull(all.get(1).items());
        assertTrue(all.get(1).error() instanceof NoSuchFileException, String.valueOf(all.get(1).error()));
        assertEquals(List.of(), all.get(2).items());
    }

    @Test
    void stat_followsLinks_andAMissingPathIsNoSuchFile() throws IOException {
        RemoteFs.Item link = fs.stat(remote("latest"));
        assertEquals(EntryType.FILE, link.type());
        assertEquals(small.length, link.size());
        assertEquals(EntryType.DIRECTORY, fs.stat(remote("d")).type());
        assertThrows(NoSuchFileException.class, () -> fs.stat(remote("missing")));
        assertThrows(NoSuchFileException.class, () -> fs.open(remote("missing.parquet")));
    }

    @Test
    void readLink_givesTheTargetAsStored() throws IOException {
        assertEquals("d/small.parquet", fs.readLink(remote("latest")));
    }

    @Test
    void transfer_streamsEveryByte_inOrder_andTellsTheStatusAfter() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        RemoteFs.Transferred t;
        try (RemoteFs.Reader r = fs.open(remote("d/big.parquet"))) {
            t = r.transfer(1000, big.length - 1000, RemoteFs.Pacer.UNLIMITED, data -> {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                got.write(b, 0, b.length);
            });
        }
        assertEquals(big.length - 1000, t.bytes());
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 1000, big.length), got.toByteArray());
        assertEquals(big.length, t.attributes().size());
        assertEquals(MTIME, t.attributes().mtime());
    }

    @Test
    void read_givesBytesAtAnOffset_andMinusOneAtTheEnd() throws IOException {
        try (RemoteFs.Reader r = fs.open(remote("d/small.parquet"))) {
            byte[] buf = new byte[100];
            int n = r.read(500, buf, 0, 100);
            assertEquals(100, n);
            assertArrayEquals(java.util.Arrays.copyOfRange(small, 500, 600), buf);
            assertEquals(-1, r.read(small.length, buf, 0, 100));
        }
    }

    @Test
    void readWhole_givesEachFileItsBytesAndStatus_orItsOwnError() throws IOException {
        List<RemoteFs.Whole> wholes = fs.readWhole(List.of(new RemoteFs.WholeRead(remote("d/small.parquet"), small.length + 1),
                new RemoteFs.WholeRead(remote("missing.parquet"), 11), new RemoteFs.WholeRead(remote("top.parquet"), 11)));
        try {
            assertArrayEquals(small, bytes(wholes.get(0)));
            assertEquals(small.length, wholes.get(0).attributes().size());
            assertTrue(wholes.get(1).error() instanceof NoSuchFileException, String.valueOf(wholes.get(1).error()));
            assertEquals(10, bytes(wholes.get(2)).length);
        } finally {
            wholes.forEach(RemoteFs.Whole::close);
        }
    }

    private static byte[] bytes(RemoteFs.Whole w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : w.data()) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.write(a, 0, a.length);
        }
        return out.toByteArray();
    }

    @Test
    void theRoundTrip_isMeasuredWhileConnecting() {
        assertTrue(!fs.roundTrip().isNegative() && fs.roundTrip().toMillis() < 1000, fs.roundTrip().toString());
    }
}
