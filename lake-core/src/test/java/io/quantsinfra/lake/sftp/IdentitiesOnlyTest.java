package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.LakeException;
import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.testkit.OpenSshAgent;
import io.quantsinfra.lake.testkit.OpenSshServer;
import io.quantsinfra.lake.testkit.SshKeygen;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IdentitySources#named} with IdentitiesOnly, as ~/.ssh/config will give it: the agent's
 * keys are offered only when they are one of the named files.
 */
class IdentitiesOnlyTest {
    @TempDir
    Path dir;

    private static void login(OpenSshServer server, IdentitySources sources, Map<String, String> env) throws IOException {
        SshSource source = new SshSource(server.host(), server.port(), server.user(), Path.of("/unused"), Optional.empty(),
                server.knownHostsFile(), HostKeyPolicy.STRICT, server.remoteRoot());
        try (PipelinedAuthClient ssh = new PipelinedAuthClient(new TunedConfig(), stage -> { })) {
            ssh.addHostKeyVerifier(new OpenSSHKnownHosts(server.knownHostsFile().toFile()));
            ssh.connect(server.host(), server.port());
            List<String> warnings = new ArrayList<>();
            new IdentityLogin(ssh, source, sources, new KeyFileReader(ssh, Optional.empty(), env), Duration.ofSeconds(10))
                    .login(warnings::add);
            assertTrue(ssh.isAuthenticated());
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void theAgentsCopyOfANamedEncryptedKey_isOffered_butNoOtherAgentKey() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(dir.resolve("sshd"));
             OpenSshAgent agent = OpenSshAgent.start(dir.resolve("agent.sock"))) {
            Path other = SshKeygen.generate(dir.resolve("other"), "ed25519");
            server.authorizeKey(SshKeygen.publicKeyFile(other));
            agent.add(other);
            Path named = SshKeygen.generate(dir.resolve("named"), "ed25519");
            server.authorizeKey(SshKeygen.publicKeyFile(named));
            agent.add(named);
            SshKeygen.encrypt(named, "secret phrase"); // now only the agent's copy can sign
            Path encrypted = SshKeygen.generate(dir.resolve("unrelated"), "ed25519", null, "secret phrase");

            // the named key, in the agent: offered, though its file is encrypted and has no passphrase here
            login(server, IdentitySources.named(List.of(encrypted, named), true, agent.env()), agent.env());

            // only a key the agent does not hold is named: the agent's accepted keys are not offered
            LakeException e = assertThrows(LakeException.class,
                    () -> login(server, IdentitySources.named(List.of(encrypted), true, agent.env()), agent.env()));
            assertTrue(e.getMessage().startsWith("the key " + encrypted + " is encrypted"), e.getMessage());

            // without IdentitiesOnly the agent's keys are offered after the named files
            login(server, IdentitySources.named(List.of(encrypted), false, agent.env()), agent.env());
        }
    }
}
