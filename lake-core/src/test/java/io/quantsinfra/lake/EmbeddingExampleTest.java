package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, compiled and run so that it cannot rot. */
@ExtendWith(SftpServerExtension.class)
class EmbeddingExampleTest {
    @TempDir
    Path lakeRoot;

    @Test
    void readmeExample_buildsConfigInCode_syncsWithAListener_andReadsTheReport(SftpTestServer server) throws Exception {
        String today = SampleLake.directoryName("gate_io", "BTC-USDT", java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        Files.createDirectories(server.servedRoot().resolve(today));
        SampleLake.writeFile(server.servedRoot().resolve(today + "/part_00001.parquet"), 50_000, 1);

        // --- README "Embedding lake-core" ---
        DataLakeConfig config = DataLakeConfig.builder(lakeRoot)
                .profile("cex_ticks", p -> p.host(server.host()).port(server.port()).user(server.user())
                        .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile())
                        .remoteRoot("/").localSubdir("cex_ticks").rsyncArgs("-a --partial --delete"))
                .build();
        AtomicLong bytes = new AtomicLong();
        SyncListener progress = new SyncListener() {
            @Override
            public void bytesTransferred(String path, long n) {
                bytes.addAndGet(n);
            }
        };
        SyncReport report = new DataLake(config).sync("cex_ticks", SyncOptions.defaults(), progress);
        // --- end of example ---

        assertEquals(Checkpoint.Status.SUCCESS, report.status());
        assertEquals(1, report.filesTransferred());
        assertEquals(50_000, bytes.get());
        assertEquals(50_000, Files.size(lakeRoot.resolve("cex_ticks/" + today + "/part_00001.parquet")));
    }

    @Test
    void aServicesOwnThreadFactory_makesTheRunsThreads_namedAfterTheProfile(SftpTestServer server) throws Exception {
        String today = SampleLake.directoryName("gate_io", "BTC-USDT", java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        Files.createDirectories(server.servedRoot().resolve(today));
        for (int i = 1; i <= 3; i++) {
            SampleLake.writeFile(server.servedRoot().resolve(today + "/part_0000" + i + ".parquet"), 2_000_000, i);
        }
        DataLakeConfig config = DataLakeConfig.builder(lakeRoot)
                .profile("cex_ticks", p -> p.host(server.host()).port(server.port()).user(server.user())
                        .sshKey(server.clientKeyFile()).knownHosts(server.knownHostsFile())
                        .remoteRoot("/").localSubdir("cex_ticks").rsyncArgs("-a --partial"))
                .build();
        ThreadGroup service = new ThreadGroup("service");
        java.util.Set<String> made = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ThreadFactory factory = r -> {
            Thread t = new Thread(service, () -> {
                made.add(Thread.currentThread().getName().replaceAll("-\\d+$", ""));
                r.run();
            });
            t.setDaemon(true);
            return t;
        };

        SyncReport report = new DataLake(config, new io.quantsinfra.lake.sftp.SftpConnector(),
                io.quantsinfra.lake.store.LocalStore::new, factory).sync("cex_ticks", SyncOptions.defaults(), SyncListener.NONE);

        assertEquals(Checkpoint.Status.SUCCESS, report.status());
        assertEquals(3, report.filesTransferred());
        assertTrue(made.contains("lake-cex_ticks-connect"), made.toString());
        assertTrue(made.contains("lake-transfer"), made.toString());
        assertTrue(made.contains("lake-publish"), made.toString());
    }
}
