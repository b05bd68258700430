package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quantsinfra.lake.config.HostKeyPolicy;
import io.quantsinfra.lake.config.SshSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order identities are tried in, as ssh chooses it, from the profile and the environment. */
class IdentitySourcesTest {
    private static final Path HOME = Path.of("/home/lake");
    private static final Path SOCK = Path.of("/tmp/ssh-x/agent.1");

    private static SshSource source(Path key, boolean set) {
        return new SshSource("h", 22, "u", key, Optional.empty(), HOME.resolve(".ssh/known_hosts"), HostKeyPolicy.STRICT, "/",
                set);
    }

    @Test
    void withoutSshKey_theSeedsDefault_thenTheAgent_thenTheIdFiles_fromHomeInTheEnvironment() {
        IdentitySources s = IdentitySources.forSource(source(HOME.resolve(".ssh/lightsail_key.pem"), false),
                Map.of("HOME", HOME.toString(), "SSH_AUTH_SOCK", SOCK.toString()));

        assertEquals(List.of(
                new IdentitySources.KeyFile(HOME.resolve(".ssh/lightsail_key.pem"), false),
                new IdentitySources.Agent(Optional.of(SOCK)),
                new IdentitySources.KeyFile(HOME.resolve(".ssh/id_ed25519"), false),
                new IdentitySources.KeyFile(HOME.resolve(".ssh/id_ecdsa"), false),
                new IdentitySources.KeyFile(HOME.resolve(".ssh/id_rsa"), false)), s.candidates());
    }

    @Test
    void withSshKey_thatKey_thenTheAgent() {
        Path key = Path.of("/etc/lake/id_ed25519");
        IdentitySources s = IdentitySources.forSource(source(key, true), Map.of("HOME", HOME.toString()));

        assertEquals(List.of(new IdentitySources.KeyFile(key, true), new IdentitySources.Agent(Optional.empty())),
                s.candidates());
        assertEquals(List.of(key + " (missing)", "ssh-agent (not used: $SSH_AUTH_SOCK is not set)"), s.describe());
    }

    @Test
    void anEmptyAuthSocket_isNoAgent() {
        assertEquals(Optional.empty(), IdentitySources.agent(Map.of("SSH_AUTH_SOCK", "")).socket());
        assertEquals("ssh-agent at " + SOCK + " ($SSH_AUTH_SOCK)", IdentitySources.agent(Map.of("SSH_AUTH_SOCK", SOCK.toString()))
                .describe());
    }

    @Test
    void aSeedDefaultThatIsAnIdFile_isTriedOnce() {
        IdentitySources s = IdentitySources.forSource(source(HOME.resolve(".ssh/id_rsa"), false), Map.of("HOME", HOME.toString()));

        assertEquals(4, s.candidates().size(), s.describe().toString());
    }

    @Test
    void namedFiles_forSshConfig_areNamed_thenTheAgent() {
        Path a = Path.of("/k/a");
        Path b = Path.of("/k/b");
        IdentitySources s = IdentitySources.named(List.of(a, b), true, Map.of("SSH_AUTH_SOCK", SOCK.toString()));

        assertEquals(List.of(new IdentitySources.KeyFile(a, true), new IdentitySources.KeyFile(b, true),
                new IdentitySources.Agent(Optional.of(SOCK))), s.candidates());
        assertEquals(true, s.identitiesOnly());
    }
}
