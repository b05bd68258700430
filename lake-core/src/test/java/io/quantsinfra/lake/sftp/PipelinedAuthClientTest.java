package io.quantsinfra.lake.sftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.testkit.SftpServerExtension;
import io.quantsinfra.lake.testkit.SftpTestServer;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyPairWrapper;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The authentication request sent right behind the service request, against the embedded server. */
@ExtendWith(SftpServerExtension.class)
class PipelinedAuthClientTest {
    private static PipelinedAuthClient connected(SftpTestServer server) throws Exception {
        PipelinedAuthClient ssh = new PipelinedAuthClient(new DefaultConfig(), stage -> { });
        ssh.addHostKeyVerifier(new OpenSSHKnownHosts(server.knownHostsFile().toFile()));
        ssh.connect(server.host(), server.port());
        return ssh;
    }

    @Test
    void authenticatesBackToBack_andTheConnectionThenWorks(SftpTestServer server) throws Exception {
        Files.writeString(server.servedRoot().resolve("f.parquet"), "data");
        try (PipelinedAuthClient ssh = connected(server)) {
            boolean pipelined = ssh.authPipelined(server.user(), new AuthPublickey(ssh.loadKeys(server.clientKeyFile().toString())));

            assertTrue(pipelined, "the service request and the authentication went out back to back");
            assertTrue(ssh.isAuthenticated());
            try (SFTPClient sftp = ssh.newSFTPClient()) {
                assertEquals(4, sftp.size("f.parquet"));
            }
        }
    }

    @Test
    void aKeyTheServerRefuses_failsAuthentication_andATriedAgainKeyStillWorks(SftpTestServer server) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        try (PipelinedAuthClient ssh = connected(server)) {
            assertThrows(UserAuthException.class, () -> ssh.authPipelined(server.user(),
                    new AuthPublickey(new KeyPairWrapper(g.generateKeyPair()))));
            assertFalse(ssh.isAuthenticated());

            // The service is active now: the second try asks for it no more, as sshj would not.
            assertFalse(ssh.authPipelined(server.user(), new AuthPublickey(ssh.loadKeys(server.clientKeyFile().toString()))));
            assertTrue(ssh.isAuthenticated());
        }
    }
}
