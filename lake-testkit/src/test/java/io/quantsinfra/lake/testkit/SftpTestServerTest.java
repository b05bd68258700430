package io.quantsinfra.lake.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.demo.KeyType;
import io.quantsinfra.lake.demo.SampleLake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(20)
class SftpTestServerTest {

    private static final LocalDate LAST_DAY = LocalDate.of(2025, 3, 10);

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void listsAndReadsWithGeneratedClientKey(KeyType keyType) throws IOException {
        SampleLake.builder().exchanges("gate_io").symbols("BTC-USDT").days(2).endingOn(LAST_DAY)
                .partsPerDay(3).partSize(100_000).seed(1).writeTo(temp.resolve("root"));
        try (SftpTestServer server = SftpTestServer.builder(temp.resolve("root")).clientKeyType(keyType).start();
                SSHClient ssh = SshjClients.connect(server);
                SFTPClient sftp = ssh.newSFTPClient()) {
            assertEquals(keyType.fileName(), server.clientKeyFile().getFileName().toString());
            assertEquals(List.of("gate_io_BTC-USDT_20250309", "gate_io_BTC-USDT_20250310"), names(sftp.ls("/")));
            assertEquals(List.of("part_00001.parquet", "part_00002.parquet", "part_00003.parquet"),
                    names(sftp.ls("/gate_io_BTC-USDT_20250310")));
            assertEquals(names(sftp.ls("/gate_io_BTC-USDT_20250310")), names(sftp.ls("gate_io_BTC-USDT_20250310")));

            String relative = "gate_io_BTC-USDT_20250310/part_00002.parquet";
            byte[] remote = SshjClients.readFully(sftp, "/" + relative);
            assertArrayEquals(Files.readAllBytes(server.servedRoot().resolve(relative)), remote);
            assertEquals(100_000, server.bytesRead());
            assertEquals(SampleLake.modificationTime(LAST_DAY, 2).getEpochSecond(),
                    sftp.stat("/" + relative).getMtime());
        }
    }

    @Test
    void answersReadsWithUpTo255KiBLikeOpenSsh() throws IOException {
        SampleLake.writeFile(temp.resolve("big.bin"), 1 << 20, 5);
        AtomicInteger largestRead = new AtomicInteger();
        SftpEventListener listener = new SftpEventListener() {
            @Override
            public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                    byte[] data, int dataOffset, int dataLen, int readLen, Throwable thrown) {
                largestRead.accumulateAndGet(readLen, Math::max);
            }
        };
        try (SftpTestServer server = SftpTestServer.builder(temp).sftpEventListener(listener).start();
                SSHClient ssh = SshjClients.connect(server);
                SFTPClient sftp = ssh.newSFTPClient();
                RemoteFile file = sftp.open("/big.bin")) {
            byte[] buffer = new byte[SftpTestServer.MAX_READ_DATA_LENGTH + 4096];
            assertEquals(SftpTestServer.MAX_READ_DATA_LENGTH, file.read(0, buffer, 0, buffer.length));
            assertEquals(SftpTestServer.MAX_READ_DATA_LENGTH, largestRead.get());
        }
    }

    @Test
    void rejectsUnknownHostKeysUsersAndKeys(@TempDir Path otherKeys) throws IOException {
        try (SftpTestServer server = SftpTestServer.builder(temp).start();
                SftpTestServer other = SftpTestServer.builder(temp).keyDirectory(otherKeys).start()) {
            Path emptyKnownHosts = Files.createFile(temp.resolve("empty_known_hosts"));
            assertThrows(TransportException.class, () -> SshjClients.connect(server, emptyKnownHosts,
                    server.user(), server.clientKeyFile()).close());
            Path wrongKey = Files.writeString(temp.resolve("wrong_known_hosts"),
                    other.knownHostsLine(server.host(), server.port()) + "\n");
            assertThrows(TransportException.class, () -> SshjClients.connect(server, wrongKey,
                    server.user(), server.clientKeyFile()).close());
            assertThrows(UserAuthException.class, () -> SshjClients.connect(server, server.knownHostsFile(),
                    "root", server.clientKeyFile()).close());
            assertThrows(UserAuthException.class, () -> SshjClients.connect(server, server.knownHostsFile(),
                    server.user(), other.clientKeyFile()).close());
        }
    }

    @Test
    void cutAfterBytesBreaksTheTransferOnceAndKeepsListening() throws IOException {
        SampleLake.writeFile(temp.resolve("victim.parquet"), 2 << 20, 9);
        SampleLake.writeFile(temp.resolve("bystander.parquet"), 1 << 20, 10);
        try (SftpTestServer server = SftpTestServer.builder(temp).start()) {
            server.cutAfterBytes("victim.parquet", 512 * 1024);
            // The SFTPClient is not closed itself: closing its channel on a broken transport throws.
            try (SSHClient ssh = SshjClients.connect(server)) {
                SFTPClient sftp = ssh.newSFTPClient();
                sftp.getSFTPEngine().setTimeoutMs(5_000);
                assertEquals(1 << 20, SshjClients.readFully(sftp, "/bystander.parquet").length);
                assertThrows(IOException.class, () -> SshjClients.readFully(sftp, "/victim.parquet"));
            }
            long victimBytes = server.bytesRead() - (1 << 20);
            assertTrue(victimBytes >= 512 * 1024 && victimBytes < 2 << 20, "read " + victimBytes);

            try (SSHClient ssh = SshjClients.connect(server); SFTPClient sftp = ssh.newSFTPClient()) {
                assertArrayEquals(Files.readAllBytes(temp.resolve("victim.parquet")),
                        SshjClients.readFully(sftp, "/victim.parquet"), "the cut fires once");
            }
        }
    }

    @Test
    void dropAllSessionsKeepsListening() throws IOException {
        try (SftpTestServer server = SftpTestServer.builder(temp).start()) {
            try (SSHClient ssh = SshjClients.connect(server)) {
                SFTPClient sftp = ssh.newSFTPClient();
                sftp.getSFTPEngine().setTimeoutMs(5_000);
                assertEquals(1, server.activeSessionCount());
                assertEquals(1, server.dropAllSessions());
                assertEquals(0, server.activeSessionCount());
                assertThrows(IOException.class, () -> sftp.ls("/"));
            }
            try (SSHClient ssh = SshjClients.connect(server); SFTPClient sftp = ssh.newSFTPClient()) {
                assertEquals(List.of(), sftp.ls("/"));
            }
        }
    }

    @Test
    void killStopsListening() throws IOException {
        try (SftpTestServer server = SftpTestServer.builder(temp).start()) {
            try (SSHClient ssh = SshjClients.connect(server)) {
                SFTPClient sftp = ssh.newSFTPClient();
                sftp.getSFTPEngine().setTimeoutMs(5_000);
                server.kill();
                assertThrows(IOException.class, () -> sftp.ls("/"));
            }
            assertThrows(IOException.class, () -> SshjClients.connect(server).close());
        }
    }

    @Test
    void injectedEntriesAreListedUnderTheirRawNamesAndServeTheirBytes() throws IOException {
        SampleLake.writeFile(Files.createDirectories(temp.resolve("root/data")).resolve("real.parquet"), 1000, 3);
        try (SftpTestServer server = SftpTestServer.builder(temp.resolve("root")).start();
                SSHClient ssh = SshjClients.connect(server);
                SFTPClient sftp = ssh.newSFTPClient()) {
            server.injectFiles("/data", HostileNames.all());
            server.injectDirectories("/data/", List.of("evil/dir"));

            Map<String, FileAttributes> listed = new HashMap<>();
            sftp.ls("/data").forEach(e -> listed.put(e.getName(), e.getAttributes()));
            Set<String> injectedFiles = new HashSet<>(HostileNames.all());
            injectedFiles.removeAll(Set.of(".", "..")); // sshj drops the dot entries itself
            Set<String> expected = new HashSet<>(injectedFiles);
            expected.addAll(Set.of("real.parquet", "evil/dir"));
            assertEquals(expected, listed.keySet());
            for (String name : injectedFiles) {
                FileAttributes attributes = listed.get(name);
                assertEquals(FileMode.Type.REGULAR, attributes.getType(), name);
                assertEquals(SftpTestServer.INJECTED_FILE_SIZE, attributes.getSize(), name);
                assertEquals(SftpTestServer.INJECTED_MTIME.getEpochSecond(), attributes.getMtime(), name);
            }
            assertEquals(FileMode.Type.DIRECTORY, listed.get("evil/dir").getType());
            assertEquals(List.of("data"), names(sftp.ls("/")), "nothing is injected elsewhere");

            for (String name : List.of("a/b", "/etc/passwd", "x\u0000y", "../escape")) {
                byte[] bait = SshjClients.readFully(sftp, "/data/" + name);
                assertEquals(SftpTestServer.INJECTED_FILE_SIZE, bait.length, name);
                assertTrue(new String(bait, StandardCharsets.UTF_8).startsWith("injected entry " + name + "\n"), name);
            }
            assertEquals(4, server.injectedFileOpens());
            assertEquals(names(sftp.ls("/data")), names(sftp.ls("/data/.")), "the dot names keep naming directories");
        }
        try (Stream<Path> served = Files.walk(temp.resolve("root"))) {
            assertEquals(3, served.count(), "nothing was created in the served tree");
        }
    }

    @Test
    void namesInjectedAsBytesAreListedByteForByte_evenWhenTheyAreNotUtf8() throws IOException {
        SampleLake.writeFile(Files.createDirectories(temp.resolve("root/data")).resolve("real.parquet"), 1000, 3);
        List<byte[]> names = List.of("bad\u00ff.parquet".getBytes(StandardCharsets.ISO_8859_1),
                "bad\u00fe.parquet".getBytes(StandardCharsets.ISO_8859_1), "caf\u00e9".getBytes(StandardCharsets.UTF_8));
        try (SftpTestServer server = SftpTestServer.builder(temp.resolve("root")).start();
                SSHClient ssh = SshjClients.connect(server)) {
            server.injectFilesNamedByBytes("/data", names);
            ssh.setRemoteCharset(StandardCharsets.ISO_8859_1); // one char per byte: the names as sent
            try (SFTPClient sftp = ssh.newSFTPClient()) {
                Set<String> expected = new HashSet<>(Set.of("real.parquet"));
                names.forEach(n -> expected.add(new String(n, StandardCharsets.ISO_8859_1)));
                assertEquals(expected, new HashSet<>(names(sftp.ls("/data"))));
            }
        }
    }

    @Test
    void denyPathFailsOpenWithPermissionDeniedButKeepsStat() throws IOException {
        SampleLake.writeFile(temp.resolve("secret.parquet"), 1000, 4);
        SampleLake.writeFile(temp.resolve("open.parquet"), 1000, 5);
        try (SftpTestServer server = SftpTestServer.builder(temp).start();
                SSHClient ssh = SshjClients.connect(server);
                SFTPClient sftp = ssh.newSFTPClient()) {
            server.denyPath("secret.parquet");
            SFTPException denied = assertThrows(SFTPException.class, () -> sftp.open("/secret.parquet"));
            assertEquals(Response.StatusCode.PERMISSION_DENIED, denied.getStatusCode());
            assertEquals(1000, sftp.stat("/secret.parquet").getSize());
            assertEquals(1000, SshjClients.readFully(sftp, "/open.parquet").length);
        }
    }

    private static List<String> names(List<RemoteResourceInfo> entries) {
        return entries.stream().map(RemoteResourceInfo::getName).sorted().toList();
    }
}
