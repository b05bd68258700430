package io.quantsinfra.lake.sftp.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quantsinfra.lake.testkit.OpenSshAgent;
import io.quantsinfra.lake.testkit.SshKeygen;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent protocol against a real ssh-agent, and against sockets that misbehave. */
class AgentClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private static byte[] publicBlob(Path key) throws IOException {
        return Base64.getDecoder().decode(Files.readString(SshKeygen.publicKeyFile(key)).trim().split(" ")[1]);
    }

    @Test
    void listsTheAgentsKeys_inItsOrder_withTheirComments() throws IOException {
        Path ed = SshKeygen.generate(tmp.resolve("id_ed25519"), "ed25519");
        Path rsa = SshKeygen.generate(tmp.resolve("id_rsa"), "rsa");
        try (OpenSshAgent agent = OpenSshAgent.start(tmp.resolve("agent.sock"));
             AgentClient client = AgentClient.connect(agent.socket(), TIMEOUT)) {
            assertEquals(List.of(), client.identities());
            agent.add(ed);
            agent.add(rsa);

            List<AgentIdentity> ids = client.identities();

            assertEquals(2, ids.size(), ids.toString());
            assertArrayEquals(publicBlob(ed), ids.get(0).blob());
            assertEquals("ssh-ed25519", ids.get(0).keyType());
            assertEquals("test-ed25519", ids.get(0).comment());
            assertEquals(SshKeygen.fingerprint(ed), ids.get(0).fingerprint());
            assertEquals("ssh-rsa", ids.get(1).keyType());
        }
    }

    @Test
    void signsWithRsaSha2_whenAskedTo_andTheSignatureVerifies() throws Exception {
        Path rsa = SshKeygen.generate(tmp.resolve("id_rsa"), "rsa");
        try (OpenSshAgent agent = OpenSshAgent.start(tmp.resolve("agent.sock"));
             AgentClient client = AgentClient.connect(agent.socket(), TIMEOUT)) {
            agent.add(rsa);
            AgentIdentity id = client.identities().get(0);
            byte[] data = "session id and request".getBytes(StandardCharsets.UTF_8);
            java.security.PublicKey key = new Buffer.PlainBuffer(id.blob()).readPublicKey();

            for (Object[] c : new Object[][] {{AgentClient.RSA_SHA2_512, "rsa-sha2-512", "SHA512withRSA"},
                    {AgentClient.RSA_SHA2_256, "rsa-sha2-256", "SHA256withRSA"}}) {
                Buffer.PlainBuffer sig = new Buffer.PlainBuffer(client.sign(id, data, (int) c[0]));
                assertEquals(c[1], sig.readString());
                Signature verify = Signature.getInstance((String) c[2]);
                verify.initVerify(key);
                verify.update(data);
                assertTrue(verify.verify(sig.readBytes()), c[1] + " signature verifies");
            }
        }
    }

    @Test
    void aSocketNobodyListensOn_failsAtConnect() {
        assertThrows(IOException.class, () -> AgentClient.connect(tmp.resolve("no-agent.sock"), TIMEOUT));
    }

    @Test
    void anAgentThatNeverAnswers_failsAfterTheTimeout() throws IOException {
        Path socket = tmp.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (AgentClient client = AgentClient.connect(socket, Duration.ofMillis(300));
                 SocketChannel accepted = server.accept()) {
                long t0 = System.nanoTime();
                SocketTimeoutException e = assertThrows(SocketTimeoutException.class, client::identities);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 250 && ms < 3000, "waited " + ms + " ms");
                assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
            }
        }
    }

    @Test
    void aRefusedSignature_failsNamingTheKey() throws IOException {
        Path socket = tmp.resolve("refusing.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (AgentClient client = AgentClient.connect(socket, TIMEOUT);
                 SocketChannel accepted = server.accept()) {
                accepted.write(ByteBuffer.allocate(5).putInt(1).put((byte) 5).flip()); // SSH_AGENT_FAILURE
                AgentIdentity id = new AgentIdentity(new Buffer.PlainBuffer().putString("ssh-ed25519").putString(new byte[32])
                        .getCompactData(), "laptop");
                IOException e = assertThrows(IOException.class, () -> client.sign(id, new byte[] {1}, 0));
                assertTrue(e.getMessage().contains("refused to sign with laptop (SHA256:"), e.getMessage());
            }
        }
    }
}
