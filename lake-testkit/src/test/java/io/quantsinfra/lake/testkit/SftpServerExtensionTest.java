package io.quantsinfra.lake.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.quantsinfra.lake.demo.SampleLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SftpServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftpServerExtensionTest {

    private final List<SftpTestServer> seen = new ArrayList<>();
    private SftpTestServer fromBeforeEach;

    @BeforeEach
    void injectIntoBeforeEach(SftpTestServer server) {
        fromBeforeEach = server;
    }

    @Test
    void injectsARunningServerOverAnEmptyRoot(SftpTestServer server) throws IOException {
        seen.add(server);
        assertSame(fromBeforeEach, server);
        try (var entries = Files.list(server.servedRoot())) {
            assertEquals(0, entries.count());
        }
        SampleLake.builder().days(2).writeTo(server.servedRoot());
        try (SSHClient ssh = SshjClients.connect(server); SFTPClient sftp = ssh.newSFTPClient()) {
            assertEquals(List.of("gate_io_BTC-USDT_20250130", "gate_io_BTC-USDT_20250131"),
                    sftp.ls("/").stream().map(RemoteResourceInfo::getName).sorted().toList());
        }
    }

    @Test
    void startsAFreshServerForEachTest(SftpTestServer server) throws IOException {
        seen.add(server);
        try (var entries = Files.list(server.servedRoot())) {
            assertEquals(0, entries.count());
        }
    }

    @AfterAll
    void everyServerWasStoppedAndItsFilesDeleted() {
        assertEquals(2, seen.size());
        assertNotEquals(seen.get(0).port(), seen.get(1).port());
        for (SftpTestServer server : seen) {
            Path directory = server.servedRoot().getParent();
            assertFalse(Files.exists(directory), directory + " was deleted");
            assertEquals(0, server.activeSessionCount());
        }
    }
}
