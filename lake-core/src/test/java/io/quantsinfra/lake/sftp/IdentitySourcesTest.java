package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.config.SshSource;
import io.quantsinfra.lake.sshconfig.SshEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order identities are tried in, as ssh chooses it, from the settled values and the environment. */
class IdentitySourcesTest {
    private static final Path HOME = Path.of("/home/lake");
    private static final Path SOCK = Path.of("/tmp/ssh-x/agent.1");
    private static final Map<String, String> ENV = Map.of("HOME", HOME.toString(), "SSH_AUTH_SOCK", SOCK.toString());

    private static SshEndpoint endpoint(Path key, List<Path> identityFiles, boolean identitiesOnly, boolean keySet) {
        return new SshEndpoint("h", "h", 22, "u", key, identityFiles, identitiesOnly, HOME.resolve(".ssh/known_hosts"),
                keySet ? Set.of(SshSource.Key.SSH_KEY) : Set.of());
    }

    @Test
    void nothingNamesAKey_theSeedsDefault_thenTheAgent_thenTheIdFiles_fromHomeInTheEnvironment() {
        IdentitySources s = IdentitySources.forEndpoint(endpoint(HOME.resolve(".ssh/lightsail_key.pem"), List.of(), false, false),
                ENV);

        assertEquals(List.of(
                new IdentitySources.KeyFile(HOME.resolve(".ssh/lightsail_key.pem"), false),
                new IdentitySources.Agent(Optional.of(SOCK)),
                new IdentitySources.KeyFile(HOME.resolve(".ssh/id_ed25519"), false),
                new IdentitySources.KeyFile(HOME.resolve(".ssh/id_ecdsa"), false),
                new IdentitySources.KeyFile(HOME.resolve(".ssh/id_rsa"), false)), s.candidates());
        assertFalse(s.identitiesOnly());
    }

    @Test
    void theProfilesSshKey_thenTheAgent_evenWhenSshConfigHasIdentityFiles() {
        Path key = Path.of("/etc/lake/id_ed25519");
        IdentitySources s = IdentitySources.forEndpoint(endpoint(key, List.of(Path.of("/k/from_config")), false, true),
                Map.of("HOME", HOME.toString()));

        assertEquals(List.of(new IdentitySources.KeyFile(key, true), new IdentitySources.Agent(Optional.empty())),
                s.candidates());
        assertEquals(List.of(key + " (missing)", "ssh-agent (not used: $SSH_AUTH_SOCK is not set)"), s.describe());
    }

    @Test
    void sshConfigsIdentityFiles_inOrder_thenTheAgent_withItsIdentitiesOnly() {
        Path a = Path.of("/k/a");
        Path b = Path.of("/k/b");
        IdentitySources s = IdentitySources.forEndpoint(endpoint(a, List.of(a, b), true, true), ENV);

        assertEquals(List.of(new IdentitySources.KeyFile(a, true), new IdentitySources.KeyFile(b, true),
                new IdentitySources.Agent(Optional.of(SOCK))), s.candidates());
        assertTrue(s.identitiesOnly());
    }

    @Test
    void anEmptyAuthSocket_isNoAgent() {
        assertEquals(Optional.empty(), IdentitySources.agent(Map.of("SSH_AUTH_SOCK", "")).socket());
        assertEquals("ssh-agent at " + SOCK + " ($SSH_AUTH_SOCK)", IdentitySources.agent(ENV).describe());
    }

    @Test
    void aSeedDefaultThatIsAnIdFile_isTriedOnce() {
        IdentitySources s = IdentitySources.forEndpoint(endpoint(HOME.resolve(".ssh/id_rsa"), List.of(), false, false), ENV);

        assertEquals(4, s.candidates().size(), s.describe().toString());
    }
}
