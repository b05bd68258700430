package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.plan.NameRules;
import io.quantsinfra.lake.testkit.LatencyProxy;
import io.quantsinfra.lake.testkit.OpenSshServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole syncs against a throwaway OpenSSH sshd: what users run. */
class OpenSshSyncTest {
    @TempDir
    Path tmp;

    private DataLakeConfig config(OpenSshServer server, Path knownHosts, Consumer<DataLakeConfig.ProfileBuilder> extra) {
        return DataLakeConfig.builder(tmp.resolve("lake"))
                .profile("p", p -> {
                    p.host(server.host()).port(server.port()).user(server.user()).sshKey(server.clientKeyFile())
                            .knownHosts(knownHosts).remoteRoot(server.servedRoot().toString()).localSubdir("mirror")
                            .rsyncArgs("-a --partial --delete").retentionDays(0);
                    extra.accept(p);
                })
                .build();
    }

    private static SyncReport sync(DataLakeConfig config) {
        return new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE);
    }

    @Test
    void aSampleLake_arrivesIdentical_andASecondRunTransfersNothing() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"))) {
            SampleLake.builder().days(3).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(4).partSize(8_000, 1_500_000)
                    .seed(7).writeTo(server.servedRoot());
            DataLakeConfig config = config(server, server.knownHostsFile(), p -> { });

            SyncReport first = sync(config);
            assertEquals(Checkpoint.Status.SUCCESS, first.status(), first.errors().toString());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));

            SyncReport second = sync(config);
            assertEquals(0, second.filesTransferred());
            assertEquals(0, second.bytesTransferred());
        }
    }

    /**
     * OpenSSH sends a link's target as the bytes on its disk. One that is not UTF-8 is skipped with a
     * warning, as a name would be: decoded with replacement characters it would be recreated pointing
     * at a name the remote does not have.
     */
    @Test
    void aLinkWhoseTargetIsNotUtf8_isSkippedWithAWarning_notRecreatedPointingElsewhere() throws Exception {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"))) {
            Files.writeString(server.servedRoot().resolve("a.parquet"), "data");
            Files.createSymbolicLink(server.servedRoot().resolve("good"), Path.of("a.parquet"));
            Process ln = new ProcessBuilder("bash", "-c", "ln -s $'bad\\xff.parquet' latest")
                    .directory(server.servedRoot().toFile()).start();
            assertEquals(0, ln.waitFor());
            List<String> warnings = new CopyOnWriteArrayList<>();
            SyncListener listener = new SyncListener() {
                @Override
                public void warning(String message) {
                    warnings.add(message);
                }
            };

            SyncReport report = new DataLake(config(server, server.knownHostsFile(), p -> { }))
                    .sync("p", LakeFixture.options(), listener);

            assertEquals(Checkpoint.Status.SUCCESS, report.status(), report.errors().toString());
            Path mirror = tmp.resolve("lake/mirror");
            assertFalse(Files.exists(mirror.resolve("latest"), LinkOption.NOFOLLOW_LINKS));
            assertEquals(Path.of("a.parquet"), Files.readSymbolicLink(mirror.resolve("good")));
            assertEquals(List.of(new SyncPlan.Skip("latest", NameRules.TARGET_NOT_TEXT)), report.plan().skips());
            assertEquals(List.of(server.servedRoot() + "/latest: remote " + NameRules.TARGET_NOT_TEXT), warnings);
        }
    }

    @Test
    void thousandsOfSmallFilesAtOnce_stayWithinEachServerProcesssDescriptorLimit() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"));
             // a distant server, so that every file asked for is in flight at once
             LatencyProxy link = LatencyProxy.start(0, server.port(), Duration.ofMillis(20), 0)) {
            server.limitOpenFiles(700); // a session's process: its handles and a few descriptors of its own
            for (int d = 0; d < 40; d++) {
                Path dir = Files.createDirectories(server.servedRoot().resolve(String.format("d%02d", d)));
                for (int f = 0; f < 100; f++) {
                    SampleLake.writeFile(dir.resolve("part_" + f + ".parquet"), 300, d * 100L + f);
                }
            }
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"),
                    server.knownHostsLine("ed25519").replace(":" + server.port() + " ", ":" + link.port() + " ") + "\n");
            // two sessions of about 1,000 files each in flight, were their handles not bounded
            SyncReport r = sync(config(server, knownHosts, p -> p.port(link.port()).parallelFiles(1024).sftpChannels(2)));

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().size() + " errors, the first: "
                    + r.errors().stream().findFirst());
            assertEquals(4000, r.filesTransferred());
            assertEquals(LakeFixture.snapshot(server.servedRoot()), LakeFixture.snapshot(tmp.resolve("lake/mirror")));
        }
    }

    @Test
    void aHostKnownOnlyByItsRsaKey_connectsInStrictMode() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"), "ed25519", "rsa")) {
            Files.writeString(server.servedRoot().resolve("a.parquet"), "data");
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), server.knownHostsLine("rsa") + "\n");

            SyncReport r = sync(config(server, knownHosts, p -> { }));

            assertEquals(Checkpoint.Status.SUCCESS, r.status(), r.errors().toString());
            assertEquals("data", Files.readString(tmp.resolve("lake/mirror/a.parquet")));
        }
    }

    @Test
    void aRevokedHostKey_isRefused_evenWithAPlainLineForIt() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(tmp.resolve("sshd"))) {
            Files.writeString(server.servedRoot().resolve("a.parquet"), "data");
            String line = server.knownHostsLine("ed25519");
            Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), line + "\n@revoked " + line + "\n");

            LakeException e = assertThrows(LakeException.class, () -> sync(config(server, knownHosts, p -> { })));

            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage().contains("is marked @revoked in " + knownHosts), e.getMessage());
            assertTrue(Files.notExists(tmp.resolve("lake/mirror/a.parquet")));
        }
    }
}
