package io.quantsinfra.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.testkit.OpenSshAgent;
import io.quantsinfra.lake.testkit.OpenSshServer;
import io.quantsinfra.lake.testkit.SshKeygen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key files as users have them (OpenSSH's format, Lightsail's PEM, PKCS#8; with and without a
 * passphrase) against a real OpenSSH sshd, and each way a key file can be unusable, with its own
 * message and fix.
 */
class OpenSshClientKeysTest {
    private static final String PASSPHRASE_ENV = "LAKE_KEY_PASSPHRASE";
    private static final String PASSPHRASE = "correct horse";
    private static final AtomicInteger KEYS = new AtomicInteger();

    @TempDir
    static Path dir;
    private static OpenSshServer server;
    private static KeyLoginFixture lake;

    @BeforeAll
    static void start() throws IOException {
        server = OpenSshServer.start(dir.resolve("sshd"));
        lake = new KeyLoginFixture(server, dir);
        lake.writeSample();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A new key, its public key authorized on the server unless {@code authorized} is false. */
    private static Path key(String type, String format, String passphrase, boolean authorized) throws IOException {
        Path key = SshKeygen.generate(dir.resolve("keys/k" + KEYS.incrementAndGet() + "_" + type), type, format, passphrase);
        if (authorized) {
            server.authorizeKey(SshKeygen.publicKeyFile(key));
        }
        return key;
    }

    private static String sshKey(Path key) {
        return "ssh_key: '" + key + "'";
    }

    private static LakeException failure(Map<String, String> env, String... sourceLines) {
        LakeException e = assertThrows(LakeException.class, () -> lake.sync(env, sourceLines));
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        assertFalse(e.hint().orElse("").contains("authorized_keys"), "a key that was never offered: " + e.hint());
        return e;
    }

    @ParameterizedTest(name = "{0} {1} passphrase \"{2}\"")
    @CsvSource({
            "ed25519, , ''", "ecdsa, , ''", "rsa, , ''",
            "ed25519, , " + PASSPHRASE, "ecdsa, , " + PASSPHRASE, "rsa, , " + PASSPHRASE,
            "rsa, PEM, ''", "rsa, PEM, " + PASSPHRASE, "ecdsa, PEM, ''",
            "rsa, PKCS8, ''", "rsa, PKCS8, " + PASSPHRASE, "ecdsa, PKCS8, ''", "ecdsa, PKCS8, " + PASSPHRASE})
    void eachKeyFormat_logsIn_andTheTreeArrivesIdentical(String type, String format, String passphrase) throws IOException {
        Path key = key(type, format, passphrase, true);
        String[] lines = passphrase.isEmpty() ? new String[] {sshKey(key)}
                : new String[] {sshKey(key), "ssh_key_passphrase_env: " + PASSPHRASE_ENV};

        KeyLoginFixture.Outcome run = lake.sync(Map.of(PASSPHRASE_ENV, passphrase), lines);

        run.assertIdentical(server);
        assertEquals(List.of(), run.warnings());
    }

    @Test
    void lightsailPemKey_asTheSeedsDefaultPath_logsInWithoutSshKeySet() throws IOException {
        Path pem = key("rsa", "PEM", "", true);
        Files.createDirectories(lake.home.resolve(".ssh"));
        Files.move(pem, lake.home.resolve(".ssh/lightsail_key.pem"));
        try {
            lake.sync(Map.of()).assertIdentical(server);
        } finally {
            Files.delete(lake.home.resolve(".ssh/lightsail_key.pem"));
        }
    }

    @Test
    void aKeyOthersMayRead_isIgnoredAsOpenSshDoes_withItsWarning() throws IOException {
        Path key = key("ed25519", null, "", true);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        LakeException e = failure(Map.of(), sshKey(key));

        assertEquals("UNPROTECTED PRIVATE KEY FILE! Permissions 0644 for '" + key + "' are too open. It is required that"
                + " your private key files are NOT accessible by others. This private key will be ignored.", e.getMessage());
        assertEquals("run: chmod 600 " + key, e.hint().orElseThrow());
    }

    @Test
    void aKeyOthersMayRead_whileTheAgentLogsIn_isWarnedAboutOnce() throws IOException {
        Path open = key("ed25519", null, "", true);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        Path agentKey = key("ed25519", null, "", true);
        try (OpenSshAgent agent = OpenSshAgent.start(dir.resolve("a" + KEYS.incrementAndGet() + ".sock"))) {
            agent.add(agentKey);

            KeyLoginFixture.Outcome run = lake.sync(agent.env(), sshKey(open));

            run.assertIdentical(server);
            assertEquals(1, run.warnings().size(), run.warnings().toString());
            assertTrue(run.warnings().get(0).startsWith("UNPROTECTED PRIVATE KEY FILE! Permissions 0640 for '" + open + "'"),
                    run.warnings().get(0));
            assertTrue(run.warnings().get(0).endsWith("; run: chmod 600 " + open), run.warnings().get(0));
        }
    }

    @ParameterizedTest(name = "format {0}")
    @CsvSource(value = {"OPENSSH", "PEM", "PKCS8"})
    void anEncryptedKey_withNoPassphraseConfigured_saysSoAndHowToFixIt(String format) throws IOException {
        Path key = key("rsa", format.equals("OPENSSH") ? null : format, PASSPHRASE, true);

        LakeException e = failure(Map.of(PASSPHRASE_ENV, PASSPHRASE), sshKey(key));

        assertEquals("the key " + key + " is encrypted with a passphrase, and no passphrase is configured", e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("source.ssh_key_passphrase_env"), e.hint().orElseThrow());
        assertTrue(e.hint().orElseThrow().contains("ssh-add " + key), e.hint().orElseThrow());
    }

    @Test
    void anEncryptedKey_whosePassphraseVariableIsUnsetOrEmpty_namesTheVariable() throws IOException {
        Path key = key("ed25519", null, PASSPHRASE, true);
        String env = "ssh_key_passphrase_env: " + PASSPHRASE_ENV;

        LakeException unset = failure(Map.of(), sshKey(key), env);
        LakeException empty = failure(Map.of(PASSPHRASE_ENV, ""), sshKey(key), env);

        assertEquals("the key " + key + " needs a passphrase, but $" + PASSPHRASE_ENV + " is not set", unset.getMessage());
        assertEquals("the key " + key + " needs a passphrase, but $" + PASSPHRASE_ENV + " is empty", empty.getMessage());
        assertTrue(unset.hint().orElseThrow().startsWith("export " + PASSPHRASE_ENV + " with the passphrase in the"
                + " environment that runs the sync"), unset.hint().orElseThrow());
    }

    @ParameterizedTest(name = "format {0}")
    @CsvSource(value = {"OPENSSH", "PEM", "PKCS8"})
    void aWrongPassphrase_saysItDoesNotDecryptTheKey(String format) throws IOException {
        Path key = key("rsa", format.equals("OPENSSH") ? null : format, PASSPHRASE, true);

        LakeException e = failure(Map.of(PASSPHRASE_ENV, "wrong horse"), sshKey(key), "ssh_key_passphrase_env: " + PASSPHRASE_ENV);

        assertEquals("the passphrase in $" + PASSPHRASE_ENV + " does not decrypt the key " + key, e.getMessage());
        assertEquals("put the passphrase of " + key + " in $" + PASSPHRASE_ENV + "; check it with: ssh-keygen -y -f " + key,
                e.hint().orElseThrow());
    }

    @Test
    void aKeyTheServerRefuses_saysToAuthorizeIt() throws IOException {
        Path key = key("ed25519", null, "", false);

        LakeException e = assertThrows(LakeException.class, () -> lake.sync(Map.of(), sshKey(key)));

        assertEquals("authentication failed for " + server.user() + "@" + server.host() + ":" + server.port() + " with key "
                + key, e.getMessage());
        assertTrue(e.hint().orElseThrow().startsWith("add the matching public key (" + key + ".pub) to ~"), e.hint().orElseThrow());
    }
}
