package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.OpenSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs against throwaway OpenSSH servers whose host, port, user, key and known_hosts come from an
 * ssh_config file the profile names, and through a jump host (ProxyJump).
 */
class OpenSshConfigSyncTest {
    @TempDir
    Path tmp;

    /** A {@code Host} block reaching {@code server} with its own key and known_hosts. */
    private static String hostBlock(String alias, OpenSshServer server, int port) {
        return "Host " + alias + "\n"
                + "  HostName " + server.host() + "\n"
                + "  Port " + port + "\n"
                + "  User " + server.user() + "\n"
                + "  IdentityFile " + server.clientKeyFile() + "\n"
                + "  UserKnownHostsFile " + server.knownHostsFile() + "\n";
    }

    private Path sshConfig(String text) throws IOException {
        return Files.writeString(tmp.resolve("ssh_config"), text);
    }

    /** A profile for host {@code alias} that sets nothing ssh_config may set. */
    private DataLakeConfig config(String alias, Path sshConfig, Consumer<DataLakeConfig.ProfileBuilder> extra) {
        return DataLakeConfig.builder(tmp.resolve("lake"))
                .profile("p", p -> {
                    p.host(alias).sshConfig(sshConfig).remoteRoot(tmp.resolve("sshd/root").toString())
                            .localSubdir("mirror").rsyncArgs("-a --partial --delete --contimeout=10").retentionDays(0);
                    extra.accept(p);
                })
                .build();
    }

    private static SyncReport sync(DataLakeConfig config) {
        return new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
    }

    private static void writeSample(OpenSshServer server) throws IOException {
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(3).partSize(5_000, 400_000)
                .seed(11).writeTo(server.servedRoot());
    }

    private void assertMirrored(OpenSshServer server, SyncReport r) throws IOException {
        assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
        assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
    }

    @Test
    void anAlias_takesEverythingFromTheNamedSshConfig_andArrivesIdentical() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"))) {
            writeSample(server);
            Path file = sshConfig("# the collector\n" + hostBlock("myalias", server, server.port()));

            assertMirrored(server, sync(config("myalias", file, p -> { })));
        }
    }

    @Test
    void theProfilesPort_beatsSshConfigsPort() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"))) {
            writeSample(server);
            Path file = sshConfig(hostBlock("myalias", server, closedPort()));

            assertMirrored(server, sync(config("myalias", file, p -> p.port(server.port()))));
        }
    }

    @Test
    void proxyJump_throughASecondSshd_checksBothHostKeys_andArrivesIdentical() throws IOException {
        try (OpenSshServer target = OpenSshServer.start(tmp.resolve("sshd"));
             OpenSshServer jump = OpenSshServer.start(tmp.resolve("jump"), List.of("ed25519"),
                     List.of("AllowTcpForwarding yes", "LogLevel DEBUG1"))) {
            writeSample(target);
            Path file = sshConfig(hostBlock("collector", target, target.port()) + "  ProxyJump bastion\n"
                    + hostBlock("bastion", jump, jump.port()));

            assertMirrored(target, sync(config("collector", file, p -> { })));
            assertTrue(Files.readString(jump.logFile()).contains("target 127.0.0.1 port " + target.port()),
                    "the jump host opened the connection to the target");
            assertTrue(logSays(jump, "Disconnected from user " + jump.user()), "the sync closed the jump host's connection too");

            Files.writeString(jump.knownHostsFile(), "");
            LakeException e = assertThrows(LakeException.class, () -> sync(config("collector", file, p -> { })));
            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().startsWith("jump host (ProxyJump at " + file + ":7): unknown host "
                    + jump.user() + "@127.0.0.1:" + jump.port()), e.getMessage());
        }
    }

    @Test
    void aJumpHostThatRefusesForwarding_saysSo_andHowToFixIt() throws IOException {
        try (OpenSshServer target = OpenSshServer.start(tmp.resolve("sshd"));
             OpenSshServer jump = OpenSshServer.start(tmp.resolve("jump"))) {
            Path file = sshConfig(hostBlock("collector", target, target.port()) + "  ProxyJump bastion\n"
                    + hostBlock("bastion", jump, jump.port()));

            LakeException e = assertThrows(LakeException.class, () -> sync(config("collector", file, p -> { })));

            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().startsWith("the jump host " + jump.user() + "@127.0.0.1:" + jump.port()
                    + " refuses to forward connections (to 127.0.0.1:" + target.port() + ")"), e.getMessage());
            assertTrue(e.hint().orElseThrow().contains("AllowTcpForwarding yes"), e.hint().toString());
            assertTrue(e.hint().orElseThrow().contains(file + ":7"), e.hint().toString());
        }
    }

    @Test
    void anUnreachableJumpHost_isNamedAsTheJumpHost() throws IOException {
        try (OpenSshServer target = OpenSshServer.start(tmp.resolve("sshd"))) {
            int closed = closedPort();
            Path file = sshConfig(hostBlock("collector", target, target.port()) + "  ProxyJump someone@127.0.0.1:" + closed
                    + "\n");

            LakeException e = assertThrows(LakeException.class, () -> sync(config("collector", file, p -> { })));

            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().startsWith("jump host (ProxyJump at " + file + ":7): cannot connect to someone@127.0.0.1:"
                    + closed), e.getMessage());
            assertTrue(e.hint().orElseThrow().startsWith("check host and port"), e.hint().toString());
        }
    }

    @Test
    void aBadSshConfigLine_isAConfigError_atItsFileAndLine() throws IOException {
        Path file = sshConfig("Host myalias\n  Port twenty-two\n");
        LakeException e = assertThrows(LakeException.class, () -> sync(config("myalias", file, p -> { })));
        assertEquals(LakeException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().startsWith(file + ":2: Port must be a port"), e.getMessage());
    }

    /** Whether sshd logs {@code text} within a few seconds: it logs a disconnect after the client has gone. */
    private static boolean logSays(OpenSshServer server, String text) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Files.readString(server.logFile()).contains(text)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(20_000_000);
        }
        return true;
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
