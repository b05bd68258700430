package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.FaultProxy;
import io.quantsinfra.lake.testkit.OpenSshServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Syncs against a throwaway OpenSSH sshd restricted to one cipher suite, one host key type, or
 * with compression: each row connects in strict host-key mode and its tree arrives byte-identical.
 */
class OpenSshCiphersTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> suites() {
        return Stream.of(
                Arguments.of("chacha20-poly1305", List.of("Ciphers chacha20-poly1305@openssh.com")),
                Arguments.of("chacha20-poly1305, new keys every MiB",
                        List.of("Ciphers chacha20-poly1305@openssh.com", "RekeyLimit 1M")),
                Arguments.of("aes256-ctr + hmac-sha2-256-etm",
                        List.of("Ciphers aes256-ctr", "MACs hmac-sha2-256-etm@openssh.com")),
                Arguments.of("aes128-ctr + hmac-sha2-512", List.of("Ciphers aes128-ctr", "MACs hmac-sha2-512")),
                Arguments.of("aes192-ctr + hmac-sha2-512-etm",
                        List.of("Ciphers aes192-ctr", "MACs hmac-sha2-512-etm@openssh.com")),
                Arguments.of("aes256-gcm, ecdh-sha2-nistp384",
                        List.of("Ciphers aes256-gcm@openssh.com", "KexAlgorithms ecdh-sha2-nistp384")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void aServerRestrictedToOneSuite_servesTheSampleIdentical(String suite, List<String> sshdOptions) throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), List.of("ed25519"), sshdOptions)) {
            writeSample(server.servedRoot());

            SyncReport r = sync(config(server, server.port(), server.knownHostsFile(), "-a"));

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mirror()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rsa", "ecdsa", "ecdsa-384", "ecdsa-521", "ed25519"})
    void aServerWithOneHostKeyType_knownInKnownHosts_connectsInStrictMode(String type) throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), List.of(type), List.of())) {
            writeSample(server.servedRoot());

            SyncReport r = sync(config(server, server.port(), server.knownHostsFile(), "-a"));

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mirror()));
        }
    }

    @Test
    void aServerWithEveryHostKeyType_presentsTheOneKnownHostsHolds() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), List.of("ed25519", "rsa", "ecdsa"), List.of())) {
            Files.writeString(server.servedRoot().resolve("a.parquet"), "data");
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), server.knownHostsLine("ecdsa") + "\n");

            SyncReport r = sync(config(server, server.port(), knownHosts, "-a"));

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals("data", Files.readString(mirror().resolve("a.parquet")));
        }
    }

    /** 16 MiB of zeros: with -z a few KiB cross the wire, without it all of them. */
    @Test
    void compression_isNegotiated_andShrinksTheBytesOnTheWire() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), List.of("ed25519"), List.of("Compression yes"));
             FaultProxy proxy = FaultProxy.start(0, server.port())) {
            Path zeros = Files.createDirectories(server.servedRoot().resolve("gate_io_BTC-USDT_20241128"))
                    .resolve("part_00000.parquet");
            try (OutputStream out = Files.newOutputStream(zeros)) {
                out.write(new byte[16 << 20]);
            }
            String hostKey = server.knownHostsLine("ed25519");
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
                    "[" + server.host() + "]:" + proxy.port() + hostKey.substring(hostKey.indexOf(' ')) + "\n");

            SyncReport compressed = sync(config(server, proxy.port(), knownHosts, "-a -z"));

            long wire = proxy.bytesForwarded(FaultProxy.Direction.DOWNSTREAM);
            assertEquals(Checkpoint.Status.SUCCESS, compressed.status(), compressed.errors().toString());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(mirror()));
            assertTrue(wire < 256 * 1024, "with -z, " + wire + " bytes came down the wire for 16 MiB of zeros");

            SyncReport plain = sync(config(tmp.resolve("lake-plain"), server, proxy.port(), knownHosts, "-a"));
            assertEquals(Checkpoint.Status.SUCCESS, plain.status(), plain.errors().toString());
            assertTrue(proxy.bytesForwarded(FaultProxy.Direction.DOWNSTREAM) - wire > 16 << 20,
                    "without -z the zeros cross the wire as they are");
        }
    }

    @Test
    void aServerWithOnlyACipherWeLack_failsNamingBothListsAndTheFix() throws IOException {
        LakeException e = refusedBy("Ciphers aes256-cbc");

        assertTrue(e.getMessage().contains("aes256-cbc"), e.getMessage());
        assertTrue(e.getMessage().contains("chacha20-poly1305@openssh.com"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("Ciphers"), e.hint().orElseThrow());
    }

    @Test
    void aServerWithOnlyPostQuantumKeyExchange_failsSayingSo() throws IOException {
        LakeException e = refusedBy("KexAlgorithms sntrup761x25519-sha512@openssh.com");

        assertTrue(e.getMessage().contains("sntrup761x25519-sha512@openssh.com"), e.getMessage());
        assertTrue(e.getMessage().contains("curve25519-sha256"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("post-quantum"), e.hint().orElseThrow());
    }

    /** The connection error of a sync against a server with {@code sshdOption}. */
    private LakeException refusedBy(String sshdOption) throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), List.of("ed25519"), List.of(sshdOption))) {
            LakeException e = assertThrows(LakeException.class,
                    () -> sync(config(server, server.port(), server.knownHostsFile(), "-a")));
            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            return e;
        }
    }

    private static void writeSample(Path root) throws IOException {
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(4_000, 400_000)
                .seed(11).writeTo(root);
    }

    private Path mirror() {
        return tmp.resolve("lake/mirror");
    }

    private DataLakeConfig config(OpenSshServer server, int port, Path knownHosts, String rsyncArgs) {
        return config(tmp.resolve("lake"), server, port, knownHosts, rsyncArgs);
    }

    private static DataLakeConfig config(Path lake, OpenSshServer server, int port, Path knownHosts, String rsyncArgs) {
        return DataLakeConfig.builder(lake)
                .profile("p", p -> p.host(server.host()).port(port).user(server.user()).sshKey(server.clientKeyFile())
                        .knownHosts(knownHosts).remoteRoot(server.servedRoot().toString()).localSubdir("mirror")
                        .rsyncArgs(rsyncArgs).retentionDays(0))
                .build();
    }

    private static SyncReport sync(DataLakeConfig config) {
        return new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
    }
}
