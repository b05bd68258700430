package io.quantsinfra.lake.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo's server, seen by a client that knows only the key files the server wrote. */
@Timeout(30)
class DemoSftpServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    @Test
    void servesTheSampleLakeToAClientThatTrustsOnlyTheFilesItWrote() throws IOException {
        LocalDate day = LocalDate.of(2025, 1, 31);
        SampleLake.builder().days(1).endingOn(day).partsPerDay(2).partSize(300_000).writeTo(temp.resolve("remote"));
        String part = "/" + SampleLake.directoryName("gate_io", "BTC-USDT", day) + "/" + SampleLake.partFileName(2);
        try (DemoSftpServer server = DemoSftpServer.builder(temp.resolve("remote")).keyDirectory(temp.resolve("keys"))
                .start();
                SshClient client = client(server.knownHostsFile(), server.clientKeyFile());
                ClientSession session = login(client, server);
                SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            assertEquals(List.of("gate_io_BTC-USDT_20250131"), names(sftp, "/"));
            byte[] served = Files.readAllBytes(server.servedRoot().resolve(part.substring(1)));
            try (InputStream in = sftp.read(part)) {
                assertArrayEquals(served, in.readAllBytes());
            }
            assertEquals(1, server.activeSessionCount());
        }
    }

    @Test
    void writesOpenSshKeyFilesAndKnownHosts() throws IOException {
        Path keys = temp.resolve("keys");
        try (DemoSftpServer server = DemoSftpServer.builder(temp.resolve("root")).keyDirectory(keys).start()) {
            assertEquals(keys.resolve("id_ed25519"), server.clientKeyFile());
            assertEquals("rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(server.clientKeyFile())));
            assertTrue(Files.readString(server.clientKeyFile()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
            assertTrue(Files.readString(keys.resolve("id_ed25519.pub")).startsWith("ssh-ed25519 AAAA"));

            String line = server.knownHostsLine();
            assertTrue(line.startsWith("[127.0.0.1]:" + server.port() + " ssh-ed25519 AAAA"), line);
            assertEquals(line + "\n", Files.readString(server.knownHostsFile(), StandardCharsets.UTF_8));
            assertTrue(server.knownHostsLine("example.org", 22).startsWith("example.org ssh-ed25519 AAAA"));
            assertEquals(server.knownHostsLine().substring(line.indexOf(' ')),
                    server.knownHostsLine("localhost", 2222).substring("[localhost]:2222".length()));
        }
        assertTrue(Files.exists(keys.resolve("id_ed25519")), "a given key directory is kept");
    }

    @Test
    void deletesItsOwnTemporaryKeyDirectoryOnClose() throws IOException {
        DemoSftpServer server = DemoSftpServer.builder(temp).start();
        Path keys = server.clientKeyFile().getParent();
        server.close();
        assertFalse(Files.exists(keys));
        server.close();
    }

    @Test
    void refusesAClientThatDoesNotKnowItsHostKey() throws IOException {
        try (DemoSftpServer server = DemoSftpServer.builder(temp.resolve("root")).start();
                DemoSftpServer other = DemoSftpServer.builder(temp.resolve("root")).start();
                SshClient client = client(other.knownHostsFile(), server.clientKeyFile())) {
            assertThrows(IOException.class, () -> login(client, server).close());
        }
    }

    /** A client that trusts only the hosts in {@code knownHosts} and offers only {@code clientKey}. */
    private static SshClient client(Path knownHosts, Path clientKey) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
        client.setKeyIdentityProvider(new FileKeyPairProvider(clientKey));
        client.start();
        return client;
    }

    private static ClientSession login(SshClient client, DemoSftpServer server) throws IOException {
        ClientSession session = client.connect(server.user(), server.host(), server.port()).verify(WAIT).getSession();
        try {
            session.auth().verify(WAIT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static List<String> names(SftpClient sftp, String dir) throws IOException {
        return StreamSupport.stream(sftp.readDir(dir).spliterator(), false).map(SftpClient.DirEntry::getFilename)
                .filter(n -> !n.equals(".") && !n.equals("..")).sorted().toList();
    }
}
