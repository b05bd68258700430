package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.Checkpoint;
import io.quantsinfra.lake.DataLake;
import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.LakeFixture;
import io.quantsinfra.lake.SyncListener;
import io.quantsinfra.lake.SyncPlan;
import io.quantsinfra.lake.SyncReport;
import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.config.Profile;
import io.quantsinfra.lake.remote.ConnectionLostException;
import io.quantsinfra.lake.remote.RemoteFs;
import io.quantsinfra.lake.testkit.FaultProxy;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles that reach one host the same way share one SSH connection while they run at once,
 * counted as the TCP connections a proxy in front of the server accepts; a dead host costs one
 * attempt, and a lost link is never handed out again.
 */
@Timeout(60)
class ConnectionSharingTest {
    @TempDir
    Path tmp;

    private SftpTestServer server;
    private FaultProxy proxy;
    private final Map<String, String> env = Map.of();

    @BeforeEach
    void start() throws IOException {
        server = SftpTestServer.builder(tmp.resolve("remote")).keyDirectory(tmp.resolve("keys")).start();
        proxy = FaultProxy.start(0, server.port());
        for (String dir : List.of("a", "b", "c")) {
            Files.createDirectories(server.servedRoot().resolve(dir));
            Files.writeString(server.servedRoot().resolve(dir + "/part_0.parquet"), "rows of " + dir);
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        server.close();
    }

    /** A proxy to the same server, on a port of its own. */
    private FaultProxy anotherPort() throws IOException {
        return FaultProxy.start(0, server.port());
    }

    /**
     * A lake whose profiles each mirror the remote directory of their name, through the proxy
     * unless their settings name another port.
     */
    private DataLakeConfig lake(Map<String, Consumer<DataLakeConfig.ProfileBuilder>> profiles) throws IOException {
        Path knownHosts = tmp.resolve("known_hosts");
        DataLakeConfig.Builder b = DataLakeConfig.builder(tmp.resolve("lake"));
        profiles.forEach((name, extra) -> b.profile(name, p -> {
            p.host(server.host()).port(proxy.port()).user(server.user()).sshKey(server.clientKeyFile())
                    .knownHosts(knownHosts).noSshConfig().remoteRoot("/" + name).localSubdir(name)
                    .rsyncArgs("-a").retentionDays(0);
            extra.accept(p);
        }));
        DataLakeConfig config = b.build();
        StringBuilder lines = new StringBuilder();
        for (Profile p : config.enabledProfiles()) {
            lines.append(server.knownHostsLine(server.host(), p.source().port())).append('\n');
        }
        Files.writeString(knownHosts, lines);
        return config;
    }

    /**
     * Syncs every profile on its own thread, all of them holding their connection until each has
     * planned; then {@code allPlanned} runs, before any transfer.
     */
    private List<SyncReport> syncAtOnce(DataLake lake, List<String> names, Runnable allPlanned) {
        CyclicBarrier planned = new CyclicBarrier(names.size(), allPlanned);
        SyncListener together = new SyncListener() {
            @Override
            public void planned(SyncPlan plan) {
                try {
                    planned.await(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the profiles did not all plan", e);
                }
            }
        };
        List<CompletableFuture<SyncReport>> runs = new ArrayList<>();
        for (String name : names) {
            runs.add(CompletableFuture.supplyAsync(() -> lake.sync(name, LakeFixture.options(), together)));
        }
        return runs.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void twoProfilesOnOneHost_syncedAtOnce_shareOneConnection_whichTheLastToFinishEnds() throws Exception {
        DataLake lake = new DataLake(lake(Map.of("a", p -> { }, "b", p -> { })));

        List<SyncReport> reports = syncAtOnce(lake, List.of("a", "b"), () -> { });

        for (SyncReport r : reports) {
            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(1, r.filesTransferred());
        }
        assertEquals("rows of b", Files.readString(tmp.resolve("lake/b/part_0.parquet")));
        assertEquals(1, proxy.acceptedConnections(), "one TCP connection for both profiles");
        awaitNoConnection(proxy);
    }

    @Test
    void anotherPortOrAnotherOption_getsAConnectionOfItsOwn() throws Exception {
        try (FaultProxy other = anotherPort()) {
            DataLake lake = new DataLake(lake(Map.of("a", p -> { }, "b", p -> p.port(other.port()),
                    "c", p -> p.rsyncArgs("-az"))));

            List<SyncReport> reports = syncAtOnce(lake, List.of("a", "b", "c"), () -> { });

            reports.forEach(r -> assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString()));
            assertEquals(2, proxy.acceptedConnections(), "a, and c with compression");
            assertEquals(1, other.acceptedConnections(), "b on its port");
        }
    }

    @Test
    void aDroppedLink_underProfilesThatShareIt_isReconnectedByEach_andBothFinish() throws Exception {
        DataLake lake = new DataLake(lake(Map.of("a", p -> { }, "b", p -> { })));

        List<SyncReport> reports = syncAtOnce(lake, List.of("a", "b"), proxy::reset);

        for (SyncReport r : reports) {
            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals(1, r.filesTransferred());
            assertTrue(r.reconnects() >= 1, "the reset link was noticed and replaced");
        }
        assertEquals("rows of a", Files.readString(tmp.resolve("lake/a/part_0.parquet")));
        assertTrue(proxy.acceptedConnections() >= 2, "the reset connection was not used again");
        awaitNoConnection(proxy);
    }

    @Test
    void connectingAtOnce_toAHostThatNeverSpeaks_makesOneAttempt_andEveryoneFailsWithinOneTimeout() throws Exception {
        proxy.blackhole(); // accepts TCP, then silence: a wedged sshd or a dead peer behind a live relay
        Map<String, Consumer<DataLakeConfig.ProfileBuilder>> four = Map.of("a", p -> { }, "b", p -> { },
                "c", p -> { }, "d", p -> { });
        DataLakeConfig config = lake(withArgs(four, "-a --contimeout=2"));
        SftpConnector connector = new SftpConnector();

        long start = System.nanoTime();
        List<CompletableFuture<RemoteFs>> connects = new ArrayList<>();
        for (Profile p : config.enabledProfiles()) {
            connects.add(CompletableFuture.supplyAsync(() -> connector.connect(p, env)));
        }
        for (CompletableFuture<RemoteFs> c : connects) {
            CompletionException e = assertThrows(CompletionException.class, c::join);
            assertEquals(LakeException.Kind.CONNECTION, ((LakeException) e.getCause()).kind());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(1, proxy.acceptedConnections(), "the others waited for that one handshake");
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "one 2 s timeout for all four, not four: " + took);
    }

    @Test
    void aHungLink_endsTheSharedConnection_forEveryProfile_andIsNotHandedOutAgain() throws Exception {
        DataLakeConfig config = lake(withArgs(Map.of("a", p -> { }, "b", p -> { }), "-a --timeout=1"));
        SftpConnector connector = new SftpConnector();
        Profile a = config.requireProfile("a");
        try (RemoteFs fsA = connector.connect(a, env); RemoteFs fsB = connector.connect(config.requireProfile("b"), env)) {
            assertEquals(1, proxy.acceptedConnections());
            fsB.stat("/b");

            proxy.blackhole(); // silence without a FIN: sshj still calls the connection connected
            assertThrows(ConnectionLostException.class, () -> fsA.stat("/a"), "after the 1 s request timeout");
            long start = System.nanoTime();
            assertThrows(ConnectionLostException.class, () -> fsB.stat("/b"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(900)) < 0, "b fails at once, not after its own timeout: " + took);

            proxy.heal();
            try (RemoteFs again = connector.connect(a, env)) {
                assertEquals(2, proxy.acceptedConnections(), "a new connection, not the hung one");
                assertEquals("part_0.parquet", again.list("/a").get(0).name());
            }
        }
    }

    private static Map<String, Consumer<DataLakeConfig.ProfileBuilder>> withArgs(
            Map<String, Consumer<DataLakeConfig.ProfileBuilder>> profiles, String rsyncArgs) {
        Map<String, Consumer<DataLakeConfig.ProfileBuilder>> out = new java.util.HashMap<>();
        profiles.forEach((name, extra) -> out.put(name, extra.andThen(p -> p.rsyncArgs(rsyncArgs))));
        return out;
    }

    /** Waits until the proxy holds no connection: the last profile to finish disconnected. */
    private static void awaitNoConnection(FaultProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.activeConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, proxy.activeConnections(), "the last profile to finish disconnects");
    }
}
