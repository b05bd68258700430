package io.quantsinfra.lake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.demo.SampleLake;
import io.quantsinfra.lake.testkit.OpenSshAgent;
import io.quantsinfra.lake.testkit.OpenSshServer;
import io.quantsinfra.lake.testkit.SshKeygen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} and {@code validate} with the keys users have, against a throwaway OpenSSH sshd: an
 * ssh-agent instead of {@code ssh_key}, and each unusable key with its own message and fix on
 * stdout, exit 3, no stack trace.
 */
class SyncKeysCliTest {
    @TempDir
    Path dir;
    private OpenSshServer server;
    private LakeConfigFile config;
    private LakeConfigFile.ProfileYaml profile;

    @BeforeEach
    void start() throws IOException {
        server = OpenSshServer.start(dir.resolve("sshd"));
        SampleLake.builder().days(2).endingOn(LocalDate.of(2024, 11, 28)).partsPerDay(2).partSize(1_000, 30_000).seed(5)
                .writeTo(server.servedRoot());
        config = new LakeConfigFile(dir.resolve("lake"));
        profile = config.profile("p", server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRunner.Result run(Map<String, String> env, String... args) throws IOException {
        Path file = config.writeTo(dir.resolve("data_lake.yml"));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = file.toString();
        return new CliRunner(dir).withEnv(env).run(all);
    }

    private Path key(String name, String passphrase, boolean authorized) throws IOException {
        Path key = SshKeygen.generate(dir.resolve("keys/" + name), "ed25519", null, passphrase);
        if (authorized) {
            server.authorizeKey(SshKeygen.publicKeyFile(key));
        }
        return key;
    }

    private static void assertFailedWithoutTrace(CliRunner.Result r, String message, String hintStart) {
        assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
        assertTrue(r.err().contains("✗ Sync failed: " + message + "\n"), r::toString);
        assertTrue(r.err().contains("  hint: " + hintStart), r::toString);
        assertFalse(r.all().contains("Exception") || r.all().contains("\tat "), r::toString);
        assertFalse(r.out().contains("authorized_keys"), "the key was never offered: " + r);
    }

    @Test
    void withoutSshKey_theAgentsKeyLogsIn_andValidateListsWhereKeysAreLookedFor() throws IOException {
        profile.sshKey = null;
        try (OpenSshAgent agent = OpenSshAgent.start(dir.resolve("agent.sock"))) {
            agent.add(key("in_agent", "", true));

            CliRunner.Result sync = run(agent.env(), "data-lake", "sync", "p");
            CliRunner.Result validate = run(agent.env(), "data-lake", "validate", "--check-remote");

            assertEquals(ExitCode.OK, sync.code(), sync::toString);
            assertEquals(TreeSnapshot.files(server.servedRoot()), TreeSnapshot.files(dir.resolve("lake/p")));
            assertEquals(ExitCode.OK, validate.code(), validate::toString);
            assertTrue(validate.out().contains("keys: " + dir.resolve(".ssh/lightsail_key.pem") + " (missing), ssh-agent at "
                    + agent.socket() + " ($SSH_AUTH_SOCK), " + dir.resolve(".ssh/id_ed25519") + " (missing), "), validate::toString);
            assertTrue(validate.out().contains("✓ p: connected to "), validate::toString);
        }
    }

    @Test
    void aKeyOthersMayRead_exits3_withOpenSshsWarning_andChmod() throws IOException {
        Path key = key("open", "", true);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        profile.sshKey = key;

        CliRunner.Result r = run(Map.of(), "data-lake", "sync", "p");

        assertFailedWithoutTrace(r, "UNPROTECTED PRIVATE KEY FILE! Permissions 0644 for '" + key + "' are too open. It is"
                + " required that your private key files are NOT accessible by others. This private key will be ignored.",
                "run: chmod 600 " + key);
    }

    @Test
    void aKeyOthersMayRead_whileTheAgentLogsIn_syncs_withTheWarningOnStderr() throws IOException {
        Path open = key("open", "", true);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        profile.sshKey = open;
        try (OpenSshAgent agent = OpenSshAgent.start(dir.resolve("agent.sock"))) {
            agent.add(key("in_agent", "", true));

            CliRunner.Result r = run(agent.env(), "data-lake", "sync", "p");

            assertEquals(ExitCode.OK, r.code(), r::toString);
            assertTrue(r.err().contains("warning: UNPROTECTED PRIVATE KEY FILE! Permissions 0644 for '" + open + "'"), r::toString);
            assertEquals(1, r.err().split("UNPROTECTED", -1).length - 1, r::toString);
        }
    }

    @Test
    void anEncryptedKeyWithoutPassphrase_exits3_withItsOwnFix() throws IOException {
        Path key = key("encrypted", "secret phrase", true);
        profile.sshKey = key;

        CliRunner.Result r = run(Map.of(), "data-lake", "sync", "p");

        assertFailedWithoutTrace(r, "the key " + key + " is encrypted with a passphrase, and no passphrase is configured",
                "name the environment variable that holds it in source.ssh_key_passphrase_env");
    }

    @Test
    void aWrongPassphrase_exits3_withItsOwnFix() throws IOException {
        Path key = key("encrypted", "secret phrase", true);
        profile.sshKey = key;
        profile.sshKeyPassphraseEnv = "LAKE_KEY_PASSPHRASE";

        CliRunner.Result r = run(Map.of("LAKE_KEY_PASSPHRASE", "not it"), "data-lake", "sync", "p");

        assertFailedWithoutTrace(r, "the passphrase in $LAKE_KEY_PASSPHRASE does not decrypt the key " + key,
                "put the passphrase of " + key + " in $LAKE_KEY_PASSPHRASE");
    }

    @Test
    void anAgentWithNoIdentities_exits3_withItsOwnFix() throws IOException {
        profile.sshKey = null;
        try (OpenSshAgent agent = OpenSshAgent.start(dir.resolve("agent.sock"))) {
            CliRunner.Result r = run(agent.env(), "data-lake", "sync", "p");

            assertEquals(ExitCode.CONNECTION, r.code(), r::toString);
            assertTrue(r.err().contains("✗ Sync failed: the ssh-agent at " + agent.socket() + " holds no identities"), r::toString);
            assertTrue(r.err().contains("  hint: add your key to the agent (ssh-add"), r::toString);
            assertFalse(r.all().contains("Exception"), r::toString);
        }
    }
}
