package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate --check-remote}: connects to each enabled profile and changes nothing. */
@ExtendWith(SftpServerExtension.class)
class ValidateCheckRemoteTest {
    @TempDir
    Path dir;

    private CliRunner.Result validate(Path config) {
        return new CliRunner(dir).run("data-lake", "validate", "--check-remote", "--config", config.toString());
    }

    @Test
    void reachableServer_exits0_withACheckMark_andChangesNothing(SftpTestServer server) throws IOException {
        SampleLake.builder().writeTo(server.servedRoot());
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("p", server);
        LakeConfigFile.ProfileYaml off = config.profile("off", server);
        off.enabled = false;
        off.port = SyncAllTest.closedPort();
        Path file = config.writeTo(dir.resolve("data_lake.yml"));
        Map<String, String> before = TreeSnapshot.of(dir);

        CliRunner.Result r = validate(file);

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("✓ " + file + " is valid: 2 profiles"), r::toString);
        assertTrue(r.out().contains("✓ p: connected to lake@127.0.0.1:" + server.port() + ":/, remote_root is readable\n"),
                r::toString);
        assertFalse(r.out().contains("off:"), "a disabled profile is not contacted\n" + r);
        assertEquals(before, TreeSnapshot.of(dir), "validate creates no lake, checkpoint or lock");
    }

    @Test
    void closedPort_exits3_namingTheHostAndAFix(SftpTestServer server) throws IOException {
        int closed = SyncAllTest.closedPort();
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("up", server);
        config.profile("down", server).port = closed;
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = validate(file);

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.out().contains("✓ up: connected to lake@127.0.0.1:" + server.port()), r::toString);
        assertTrue(r.out().contains("✗ down: cannot connect to lake@127.0.0.1:" + closed), r::toString);
        assertTrue(r.out().contains("  hint: check host and port"), r::toString);
    }

    @Test
    void missingRemoteRoot_exits3(SftpTestServer server) throws IOException {
        LakeConfigFile config = new LakeConfigFile(dir.resolve("lake"));
        config.profile("p", server).remoteRoot = "/no/such/dir";
        Path file = config.writeTo(dir.resolve("data_lake.yml"));

        CliRunner.Result r = validate(file);

        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.out().contains("✗ p: remote_root /no/such/dir on lake@127.0.0.1:" + server.port()
                + " is not a readable directory"), r::toString);
    }
}
