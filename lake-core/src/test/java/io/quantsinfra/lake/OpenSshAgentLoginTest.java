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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in with the keys of an ssh-agent that the test starts, against a real OpenSSH sshd, and
 * the order identities are tried in when {@code ssh_key} is not set: the seed's default key, the
 * agent's keys, then {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}.
 */
class OpenSshAgentLoginTest {
    @TempDir
    Path dir;
    private Path sshd;
    private OpenSshServer server;
    private OpenSshAgent agent;
    private KeyLoginFixture lake;

    @BeforeEach
    void start() throws IOException {
        start("default");
    }

    /** Starts an sshd with {@code options} ahead of the defaults, and an empty agent, both named {@code name}. */
    private void start(String name, String... options) throws IOException {
        sshd = dir.resolve("sshd-" + name);
        // VERBOSE: sshd logs which key it accepted, so that the order can be checked
        List<String> all = new ArrayList<>(List.of(options));
        all.add("LogLevel VERBOSE");
        server = OpenSshServer.start(sshd, List.of("ed25519"), all);
        agent = OpenSshAgent.start(dir.resolve(name + ".sock"));
        lake = new KeyLoginFixture(server, dir);
        lake.writeSample();
    }

    /** Stops the default sshd and agent and starts others with {@code options}. */
    private void restart(String name, String... options) throws IOException {
        stop();
        start(name, options);
    }

    @AfterEach
    void stop() {
        agent.close();
        server.close();
    }

    private Path key(String name, String type, boolean authorized) throws IOException {
        Path key = SshKeygen.generate(dir.resolve("keys/" + name), type);
        if (authorized) {
            server.authorizeKey(SshKeygen.publicKeyFile(key));
        }
        return key;
    }

    /** A key in {@code ~/.ssh} of the run's home, e.g. {@code id_ecdsa} or {@code lightsail_key.pem}. */
    private Path homeKey(String name, String type, boolean authorized) throws IOException {
        Path key = SshKeygen.generate(lake.home.resolve(".ssh/" + name), type);
        if (authorized) {
            server.authorizeKey(SshKeygen.publicKeyFile(key));
        }
        return key;
    }

    /** The fingerprint of the key sshd accepted, from its log. */
    private String acceptedKey() throws IOException {
        return Files.readAllLines(sshd.resolve("sshd.log")).stream().filter(l -> l.contains("Accepted publickey"))
                .reduce((a, b) -> b).map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElse("none");
    }

    private LakeException failure(Map<String, String> env, String... sourceLines) {
        LakeException e = assertThrows(LakeException.class, () -> lake.sync(env, sourceLines));
        assertEquals(LakeException.Kind.CONNECTION, e.kind());
        return e;
    }

    @Test
    void anEd25519KeyInTheAgent_logsInWithoutSshKey_andTheTreeArrivesIdentical() throws IOException {
        Path key = key("agent_ed25519", "ed25519", true);
        agent.add(key);

        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(key), acceptedKey());
    }

    @Test
    void anRsaKeyInTheAgent_signsWithRsaSha2_whichOpenSshRequires() throws IOException {
        Path key = key("agent_rsa", "rsa", true);
        agent.add(key);

        lake.sync(agent.env()).assertIdentical(server);
        assertTrue(Files.readString(sshd.resolve("sshd.log")).contains("Accepted publickey for " + server.user()),
                "OpenSSH 8.8+ refuses ssh-rsa (SHA-1) signatures by default");
    }

    @Test
    void anRsaKeyInTheAgent_fallsBackToRsaSha2_256_whenTheServerTakesOnlyThat() throws IOException {
        restart("rsa-sha2-256", "PubkeyAcceptedAlgorithms rsa-sha2-256");
        Path key = key("agent_rsa", "rsa", true);
        agent.add(key);

        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(key), acceptedKey());
    }

    @Test
    void moreRefusedKeysThanTheServerAllows_saysSoWithTheFix() throws IOException {
        restart("max-auth-tries", "MaxAuthTries 2");
        for (int i = 0; i < 4; i++) {
            agent.add(key("refused" + i, "ed25519", false));
        }

        LakeException e = failure(agent.env());

        assertTrue(e.getMessage().startsWith("sshd on " + server.host() + " closed the connection after refusing ssh-agent key"),
                e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("MaxAuthTries"), e.hint().orElseThrow());
    }

    @Test
    void anAgentWithNoIdentities_andNoKeyFile_saysSo() {
        LakeException e = failure(agent.env());

        assertTrue(e.getMessage().startsWith("the ssh-agent at " + agent.socket() + " holds no identities, and no key file"
                + " was found (looked for " + lake.home.resolve(".ssh/lightsail_key.pem")), e.getMessage());
        assertTrue(e.hint().orElseThrow().startsWith("add your key to the agent (ssh-add"), e.hint().orElseThrow());
    }

    @Test
    void anAuthSocketWhereNoAgentListens_fallsThroughToTheIdFiles_asSshDoes() throws IOException {
        Path id = homeKey("id_ecdsa", "ecdsa", true);

        KeyLoginFixture.Outcome run = lake.sync(Map.of("SSH_AUTH_SOCK", dir.resolve("gone.sock").toString()));

        run.assertIdentical(server);
        assertEquals(List.of(), run.warnings());
        assertEquals(SshKeygen.fingerprint(id), acceptedKey());
    }

    @Test
    void anAuthSocketWhereNoAgentListens_andNoKeyFile_namesTheSocket() {
        Path gone = dir.resolve("gone.sock");

        LakeException e = failure(Map.of("SSH_AUTH_SOCK", gone.toString()));

        assertTrue(e.getMessage().startsWith("no key to log in to " + server.user() + "@"), e.getMessage());
        assertTrue(e.getMessage().contains("no ssh-agent answers at " + gone + " ($SSH_AUTH_SOCK)"), e.getMessage());
    }

    @Test
    void noAgentAndNoKeyFile_saysWhereItLooked() {
        LakeException e = failure(Map.of());

        assertTrue(e.getMessage().contains("(looked for " + lake.home.resolve(".ssh/lightsail_key.pem") + ", "
                + lake.home.resolve(".ssh/id_ed25519") + ", " + lake.home.resolve(".ssh/id_ecdsa") + ", "
                + lake.home.resolve(".ssh/id_rsa") + ")"), e.getMessage());
        assertTrue(e.getMessage().endsWith("$SSH_AUTH_SOCK is not set, so no ssh-agent was asked"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("under cron or systemd"), e.hint().orElseThrow());
    }

    @Test
    void theSeedsDefaultKey_comesBeforeTheAgent() throws IOException {
        Path seed = homeKey("lightsail_key.pem", "ed25519", true);
        agent.add(key("agent_ed25519", "ed25519", true));

        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(seed), acceptedKey());
    }

    @Test
    void theAgent_comesBeforeTheIdFiles() throws IOException {
        homeKey("id_ed25519", "ed25519", true);
        Path inAgent = key("agent_ed25519", "ed25519", true);
        agent.add(inAgent);

        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(inAgent), acceptedKey());
    }

    @Test
    void refusedKeys_moveOnToTheNext_seedDefaultThenAgentThenIdFiles() throws IOException {
        homeKey("lightsail_key.pem", "rsa", false);
        agent.add(key("agent_refused", "ed25519", false));
        Path id = homeKey("id_rsa", "rsa", true);

        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(id), acceptedKey());
    }

    @Test
    void aSetSshKeyThatIsRefused_isFollowedByTheAgentsKeys_asSshWithIdentityFileDoes() throws IOException {
        Path refused = key("refused", "ed25519", false);
        Path inAgent = key("agent_ed25519", "ed25519", true);
        agent.add(inAgent);
        homeKey("id_ed25519", "ed25519", true);

        lake.sync(agent.env(), "ssh_key: '" + refused + "'").assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(inAgent), acceptedKey());
    }

    @Test
    void aSetSshKey_isNotFollowedByTheIdFiles() throws IOException {
        Path refused = key("refused", "ed25519", false);
        homeKey("id_ed25519", "ed25519", true);

        LakeException e = failure(Map.of(), "ssh_key: '" + refused + "'");

        assertTrue(e.getMessage().startsWith("authentication failed for "), e.getMessage());
        assertFalse(e.getMessage().contains("id_ed25519"), e.getMessage());
    }

    @Test
    void sshConfigsIdentitiesOnly_offersOnlyTheAgentsCopyOfTheIdentityFile() throws IOException {
        Path other = key("agent_first", "ed25519", true);
        Path named = key("named", "ed25519", true);
        agent.add(other);
        agent.add(named);
        SshKeygen.encrypt(named, "secret phrase"); // only the agent's copy can sign
        Files.createDirectories(lake.home.resolve(".ssh"));
        Files.writeString(lake.home.resolve(".ssh/config"), "Host " + server.host() + "\n  IdentityFile " + named
                + "\n  IdentitiesOnly yes\n");

        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(named), acceptedKey(), "the agent's first key is not one of the IdentityFiles");

        Files.writeString(lake.home.resolve(".ssh/config"), "Host " + server.host() + "\n  IdentityFile " + named + "\n");
        lake.sync(agent.env()).assertIdentical(server);
        assertEquals(SshKeygen.fingerprint(other), acceptedKey(), "without IdentitiesOnly the agent's keys follow in its order");
    }

    @Test
    void anEncryptedKeyWithoutItsPassphrase_isUsedThroughTheAgent_thatHoldsIt_silently() throws IOException {
        Path plain = key("agent_copy", "ed25519", true);
        agent.add(plain);
        Path encrypted = dir.resolve("keys/encrypted_copy");
        Files.copy(plain, encrypted);
        SshKeygen.encrypt(encrypted, "secret phrase");

        KeyLoginFixture.Outcome run = lake.sync(agent.env(), "ssh_key: '" + encrypted + "'");

        run.assertIdentical(server);
        assertEquals(List.of(), run.warnings(), "ssh too uses the agent's copy without a word");
        assertEquals(SshKeygen.fingerprint(plain), acceptedKey());
    }
}
