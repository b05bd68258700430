package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.DataLakeConfig;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration built in code hears its fixes in the builder's terms, not as YAML keys. */
class BuilderHintsTest {
    @TempDir
    Path tmp;

    @Test
    void anUnknownHostKey_isFixedWithTheBuildersMethod() throws IOException {
        try (SftpTestServer server = SftpTestServer.builder(Files.createDirectories(tmp.resolve("remote")))
                .keyDirectory(tmp.resolve("keys")).start()) {
            Path emptyKnownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
            DataLakeConfig config = DataLakeConfig.builder(tmp.resolve("lake"))
                    .profile("p", p -> p.host(server.host()).port(server.port()).user(server.user())
                            .sshKey(server.clientKeyFile()).knownHosts(emptyKnownHosts).remoteRoot("/").localSubdir("p"))
                    .build();

            LakeException e = assertThrows(LakeException.class,
                    () -> new DataLake(config).sync("p", LakeFixture.options(), SyncListener.NONE));

            assertEquals(LakeException.Kind.CONNECTION, e.kind());
            String hint = e.hint().orElseThrow();
            assertTrue(hint.contains(".hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW)"), hint);
            assertFalse(hint.contains("source.host_key_policy"), hint);
            LakeException unknown = assertThrows(LakeException.class, () -> config.requireProfile("q"));
            assertTrue(unknown.hint().orElseThrow().contains("DataLake.checkRemote"), unknown.hint().orElseThrow());
        }
    }
}
